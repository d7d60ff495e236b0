import AgentSchedulerCore
import Foundation

/// Reserves, commits and releases spend under every budget of DESIGN §5, in premium requests or
/// AI credits.
///
/// For each spend it computes the scopes — the organisation's period budget, the user's allowance,
/// the agent's cap, the session's own cap — from the policy and the clock at that moment, then asks
/// the ledger to hold the amount under all of them in one transaction. When a budget is used up it
/// refuses with the reason and the reset time (`on-exhausted: block`), or reserves nothing and names
/// the fallback model to run instead (`on-exhausted: fallback`). It fails closed: an unknown model,
/// a model the organisation does not allow, a model without a price in the policy's unit, or a
/// ledger error stops the spend.
public struct BudgetEngine: Sendable {
    public enum Decision: Sendable, Hashable {
        /// Go ahead; run on `reservation.context.actualModel` (the fallback model when it differs).
        case reserved(Reservation)
        /// Do not spend: the session waits in `blocked`.
        case blocked(BudgetDenial)
    }

    /// What one model request may spend under AI credits.
    public enum RequestDecision: Sendable, Hashable {
        /// Send the request with `max_tokens` at most `outputTokens`; `reservation` holds its worst
        /// case (`tier` is the price tier that worst case fell in).
        case reserved(Reservation, outputTokens: Int, tier: TokenPricing.Tier)
        case blocked(BudgetDenial)
    }

    /// The fewest output tokens a request is sent with when the budget is nearly used up: below
    /// it the session blocks instead (an answer cut that short is rarely worth its prompt).
    public static let outputTokenFloor = 256

    public var ledger: any Ledger
    public var catalog: ModelCatalog
    public var clock: any WallClock
    /// The worker whose lease holds the reservations.
    public var worker: WorkerID

    public init(ledger: any Ledger, catalog: ModelCatalog, clock: any WallClock, worker: WorkerID) {
        self.ledger = ledger
        self.catalog = catalog
        self.clock = clock
        self.worker = worker
    }

    /// Reserves a premium-request spend: the model's multiplier × `spend.units`.
    public func reserve(_ spend: Spend) async throws -> Decision {
        let policy = spend.policy
        let model = try allowedModel(spend)
        guard policy.billing == .premiumRequests else {
            throw BudgetError.unpriced(model: model.name, unit: .premiumRequests)
        }
        guard let multiplier = policy.models.multiplier(for: model) else {
            throw BudgetError.unpriced(model: model.name, unit: .premiumRequests)
        }
        let now = clock.now()
        let scopes = Self.scopes(for: spend, at: now)
        let context = context(of: spend, model: model)
        let request = ReservationRequest(
            context: context, amount: multiplier.times(spend.units).amount, scopes: scopes, worker: worker, at: now)
        switch try await ledger.reserve(request) {
        case .reserved(let reservation):
            return .reserved(reservation)
        case .exhausted(let exhaustion):
            guard
                let reservation = try await reserveFallback(
                    context, policy: policy, scopes: scopes, after: exhaustion, at: now)
            else {
                return .blocked(BudgetDenial(exhaustion: exhaustion, resetsAt: exhaustion.scope.periodEnd))
            }
            return .reserved(reservation)
        }
    }

    /// Reserves the worst case of one model request under AI credits: at most `promptTokens`
    /// prompt tokens at the dearest input price of their tier, and `maxOutputTokens` output
    /// tokens; when the budget cannot hold that, as many output tokens as fit, down to
    /// `outputTokenFloor` (or `maxOutputTokens` when that is lower), else blocked or fallback.
    public func reserveRequest(
        _ spend: Spend, promptTokens: Int, maxOutputTokens: Int
    ) async throws -> RequestDecision {
        let policy = spend.policy
        let model = try allowedModel(spend)
        guard policy.billing == .aiCredits else { throw BudgetError.unpriced(model: model.name, unit: .aiCredits) }
        guard let pricing = policy.models.pricing(for: model) else {
            throw BudgetError.unpriced(model: model.name, unit: .aiCredits)
        }
        let now = clock.now()
        let scopes = Self.scopes(for: spend, at: now)
        let context = context(of: spend, model: model)
        let floor = min(Self.outputTokenFloor, maxOutputTokens)
        var outputTokens = maxOutputTokens
        var last: ScopeExhaustion?
        // Each retry fits under the tightest scope seen so far; another process may take budget
        // between tries, so the loop ends after one try per scope and then some.
        for _ in 0..<(scopes.count + 2) {
            let (tier, worst) = pricing.worstCase(promptTokens: promptTokens, outputTokens: outputTokens)
            let request = ReservationRequest(
                context: context, amount: worst.amount, scopes: scopes, worker: worker, at: now)
            switch try await ledger.reserve(request) {
            case .reserved(let reservation):
                return .reserved(reservation, outputTokens: outputTokens, tier: tier)
            case .exhausted(let exhaustion):
                last = exhaustion
                let headroom = exhaustion.scope.limit.map { exhaustion.usage.remaining(under: $0) }
                let fitting = headroom.flatMap(\.aiCredits).map {
                    pricing.outputTokens(fitting: $0, promptTokens: promptTokens)
                }
                if let fitting, fitting >= floor, fitting < outputTokens {
                    outputTokens = fitting
                    continue
                }
                guard
                    let reservation = try await reserveFallback(
                        context, policy: policy, scopes: scopes, after: exhaustion, at: now)
                else { return .blocked(BudgetDenial(exhaustion: exhaustion, resetsAt: exhaustion.scope.periodEnd)) }
                return .reserved(reservation, outputTokens: maxOutputTokens, tier: .standard)
            }
        }
        // Other processes kept taking what each retry fitted: blocked on the last scope that refused.
        let exhaustion = last!
        return .blocked(BudgetDenial(exhaustion: exhaustion, resetsAt: exhaustion.scope.periodEnd))
    }

    /// Charges `amount` (the whole reservation when `nil`) for `requests` model requests with the
    /// reported `tokens`, and records any alert thresholds of the policy newly crossed.
    @discardableResult
    public func commit(
        _ reservation: Reservation, policy: OrganizationPolicy, amount: Amount? = nil, requests: Int = 1,
        tokens: TokenCounts = .zero, delivering steering: Int64? = nil
    ) async throws -> Charge {
        try await ledger.commit(
            reservation.id, amount: amount ?? reservation.amount, requests: requests, tokens: tokens, at: clock.now(),
            orgLimit: policy.budget.limit, alerts: policy.budget.alerts, delivering: steering)
    }

    /// Returns the reservation to every scope: the request failed, was cancelled, or never ran.
    public func release(_ reservation: Reservation, reason: String) async throws {
        try await ledger.release(reservation.id, reason: reason, at: clock.now())
    }

    /// The scopes a spend must fit under at `date`, in the policy's unit.
    public static func scopes(for spend: Spend, at date: Date) -> [BudgetScope] {
        let policy = spend.policy
        let unit = policy.billing
        let (start, end) = policy.budget.period.bounds(containing: date)
        var scopes = [
            BudgetScope(
                kind: .org, name: policy.org, unit: unit, limit: policy.budget.limit, periodStart: start,
                periodEnd: end),
            BudgetScope(
                kind: .user, name: ScopeKey.member(spend.user, of: policy.org), unit: unit,
                limit: policy.allowance(for: spend.user),
                periodStart: start, periodEnd: end),
            BudgetScope(
                kind: .agent, name: ScopeKey.member(spend.agent, of: policy.org), unit: unit,
                limit: policy.agents[spend.agent] ?? nil,
                periodStart: start, periodEnd: end),
        ]
        if let session = spend.session {
            scopes.append(
                BudgetScope(
                    kind: .session, name: "\(session)", unit: unit, limit: spend.sessionLimit,
                    periodStart: Date(timeIntervalSince1970: 0), periodEnd: nil))
        }
        return scopes
    }

    private func allowedModel(_ spend: Spend) throws -> ModelDefinition {
        guard let model = catalog.model(named: spend.model) else { throw BudgetError.unknownModel(spend.model) }
        guard spend.policy.models.allows(model) else {
            throw BudgetError.modelNotAllowed(model: model.name, org: spend.policy.org)
        }
        return model
    }

    private func context(of spend: Spend, model: ModelDefinition) -> ChargeContext {
        ChargeContext(
            session: spend.session, org: spend.policy.org, user: spend.user, agent: spend.agent,
            repository: spend.repository, requestedModel: model.name, kind: spend.kind)
    }

    /// Reserves nothing on the free fallback model after `exhaustion`, when the policy says so and
    /// the exhausted scope is not the session's own cap (a runaway session stops instead); `nil`
    /// when there is no fallback, or the free reservation was refused too.
    private func reserveFallback(
        _ context: ChargeContext, policy: OrganizationPolicy, scopes: [BudgetScope], after exhaustion: ScopeExhaustion,
        at now: Date
    ) async throws -> Reservation? {
        guard exhaustion.scope.kind != .session, policy.budget.onExhausted == .fallback,
            let fallback = policy.budget.fallbackModel.flatMap(catalog.model(named:)),
            policy.models.isFree(fallback, in: policy.billing), policy.models.allows(fallback)
        else { return nil }
        var context = context
        context.actualModel = fallback.name
        let free = ReservationRequest(
            context: context, amount: .zero(policy.billing), scopes: scopes, worker: worker, at: now)
        guard case .reserved(let reservation) = try await ledger.reserve(free) else { return nil }
        return reservation
    }
}
