import AgentSchedulerCore
import Foundation

/// Reserves, commits and releases premium requests under every budget of DESIGN §5.
///
/// For each spend it computes the scopes — the organisation's period budget, the user's allowance,
/// the agent's cap, the session's own cap — from the policy and the clock at that moment, then asks
/// the ledger to hold the amount under all of them in one transaction. When a budget is used up it
/// refuses with the reason and the reset time (`on-exhausted: block`), or reserves nothing and names
/// the fallback model to run instead (`on-exhausted: fallback`). It fails closed: an unknown model,
/// a model the organisation does not allow, or a ledger error stops the spend.
public struct BudgetEngine: Sendable {
    public enum Decision: Sendable, Hashable {
        /// Go ahead; run on `reservation.context.actualModel` (the fallback model when it differs).
        case reserved(Reservation)
        /// Do not spend: the session waits in `blocked`.
        case blocked(BudgetDenial)
    }

    public var ledger: any Ledger
    public var catalog: ModelCatalog
    public var clock: any WallClock
    /// The worker whose lease holds the reservations.
    public var worker: String

    public init(ledger: any Ledger, catalog: ModelCatalog, clock: any WallClock, worker: String) {
        self.ledger = ledger
        self.catalog = catalog
        self.clock = clock
        self.worker = worker
    }

    public func reserve(_ spend: Spend) async throws -> Decision {
        let policy = spend.policy
        guard let model = catalog.model(named: spend.model) else { throw BudgetError.unknownModel(spend.model) }
        guard policy.models.allows(model) else { throw BudgetError.modelNotAllowed(model: model.name, org: policy.org) }
        let now = clock.now()
        let scopes = Self.scopes(for: spend, at: now)
        var context = ChargeContext(
            session: spend.session, org: policy.org, user: spend.user, agent: spend.agent,
            repository: spend.repository, requestedModel: model.name, kind: spend.kind)
        guard let multiplier = policy.models.multiplier(for: model) else {
            throw BudgetError.unpriced(model: model.name, unit: .premiumRequests)
        }
        let amount = multiplier.times(spend.units)
        let request = ReservationRequest(context: context, amount: amount, scopes: scopes, worker: worker, at: now)
        switch try await ledger.reserve(request) {
        case .reserved(let reservation):
            return .reserved(reservation)
        case .exhausted(let exhaustion):
            let denial = BudgetDenial(exhaustion: exhaustion, resetsAt: exhaustion.scope.periodEnd)
            guard exhaustion.scope.kind != .session, policy.budget.onExhausted == .fallback,
                let fallback = policy.budget.fallbackModel.flatMap(catalog.model(named:)),
                policy.models.multiplier(for: fallback) == .zero, policy.models.allows(fallback)
            else {
                return .blocked(denial)
            }
            context.actualModel = fallback.name
            let free = ReservationRequest(context: context, amount: .zero, scopes: scopes, worker: worker, at: now)
            guard case .reserved(let reservation) = try await ledger.reserve(free) else { return .blocked(denial) }
            return .reserved(reservation)
        }
    }

    /// Charges `amount` (the whole reservation when `nil`) for `requests` model requests, and records
    /// any alert thresholds of the policy newly crossed.
    @discardableResult
    public func commit(
        _ reservation: Reservation, policy: OrganizationPolicy, amount: PremiumRequests? = nil, requests: Int = 1
    ) async throws -> Charge {
        try await ledger.commit(
            reservation.id, amount: amount ?? reservation.amount, requests: requests, at: clock.now(),
            orgLimit: policy.budget.premiumRequests, alerts: policy.budget.alerts)
    }

    /// Returns the reservation to every scope: the request failed, was cancelled, or never ran.
    public func release(_ reservation: Reservation, reason: String) async throws {
        try await ledger.release(reservation.id, reason: reason, at: clock.now())
    }

    /// The scopes a spend must fit under at `date`.
    public static func scopes(for spend: Spend, at date: Date) -> [BudgetScope] {
        let policy = spend.policy
        let (start, end) = policy.budget.period.bounds(containing: date)
        var scopes = [
            BudgetScope(
                kind: .org, name: policy.org, limit: policy.budget.premiumRequests, periodStart: start, periodEnd: end),
            BudgetScope(
                kind: .user, name: "\(policy.org)/\(spend.user)", limit: policy.allowance(for: spend.user),
                periodStart: start, periodEnd: end),
            BudgetScope(
                kind: .agent, name: "\(policy.org)/\(spend.agent)", limit: policy.agents[spend.agent] ?? nil,
                periodStart: start, periodEnd: end),
        ]
        if let session = spend.session {
            scopes.append(
                BudgetScope(
                    kind: .session, name: "\(session)", limit: spend.sessionLimit,
                    periodStart: Date(timeIntervalSince1970: 0), periodEnd: nil))
        }
        return scopes
    }
}
