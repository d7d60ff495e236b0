import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime

/// Charges one session's premium requests under its organisation's charging mode (DESIGN §5).
///
/// Per-session charging reserves 1 × multiplier when the session is admitted and commits it when
/// the session ends, once at least one model request succeeded; per-request charging reserves
/// before every model request and commits after it succeeds. A session is charged for what it
/// consumed however it ends: the session charge is committed once any model request succeeded,
/// even when the session was cancelled or interrupted; a request the provider failed, and a
/// session that made no successful request, release what they hold. Every reservation is
/// committed or released exactly once. A resumed session pays nothing twice: what earlier runs
/// committed is counted first. The session's buffered events are flushed before every
/// reservation, charge and release, so the log reads in the order things happened.
actor SessionBilling: RequestCharging {
    /// Why the loop must stop spending.
    enum Stop: ChargingPause, Sendable, Hashable {
        /// The budget is used up (`on-exhausted: block`, or no usable fallback).
        case blocked(BudgetDenial)
        /// The budget is used up and the session continues on this free model.
        case fallback(model: String, because: BudgetDenial?)

        var description: String {
            switch self {
            case .blocked(let denial): denial.description
            case .fallback(let model, _): "the budget is used up; continuing on \(model)"
            }
        }
    }

    /// What admission decided about the money.
    enum Admission: Sendable, Hashable {
        /// Go ahead on `model` (the fallback model when it differs from the session's).
        case admitted(model: String)
        case blocked(BudgetDenial)
    }

    private let engine: BudgetEngine
    private let policy: OrganizationPolicy
    /// What is spent, always for the session's own model: the engine itself names the fallback
    /// model when the budget is used up.
    private var spend: Spend
    /// The model the session runs on now: its own, or the fallback model.
    private(set) var model: String
    private let observer: any SchedulerObserver
    /// Writes the session's buffered events before a budget event is written.
    private let flushEvents: @Sendable () async -> Void
    /// Model requests earlier runs of this session already paid for (per-request charging).
    private let paidRequests: Int
    /// Whether an earlier run already paid the session's start (per-session charging).
    private let paidSession: Bool
    private var sessionReservation: Reservation?
    private var requestReservation: Reservation?
    private(set) var successfulRequests = 0
    private(set) var stop: Stop?

    var perRequest: Bool { policy.charging == .perRequest }

    init(
        engine: BudgetEngine, policy: OrganizationPolicy, session: SessionRecord, sessionLimit: PremiumRequests?,
        earlierCharges: [Charge], observer: any SchedulerObserver,
        flushEvents: @escaping @Sendable () async -> Void = {}
    ) {
        self.engine = engine
        self.flushEvents = flushEvents
        self.policy = policy
        self.observer = observer
        spend = Spend(
            policy: policy, session: session.id, user: session.assigner, agent: session.agent,
            repository: session.repository, model: session.model, kind: .session, sessionLimit: sessionLimit)
        model = session.actualModel ?? session.model
        paidRequests = earlierCharges.filter { $0.context.kind == .request }.count
        paidSession = earlierCharges.contains { $0.context.kind == .session }
    }

    /// Reserves what the session needs to start: its session charge, or its next request's.
    ///
    /// `nextTurn` is the turn the loop starts with (1, or one after a saved conversation's last).
    func admit(nextTurn: Int) async throws -> Admission {
        let kind: ChargeKind = perRequest ? .request : .session
        if perRequest ? nextTurn <= paidRequests : paidSession { return .admitted(model: model) }
        spend.kind = kind
        switch try await engine.reserve(spend) {
        case .blocked(let denial):
            return .blocked(denial)
        case .reserved(let reservation):
            if perRequest { requestReservation = reservation } else { sessionReservation = reservation }
            model = reservation.context.actualModel
            return .admitted(model: model)
        }
    }

    /// Continues on `model` after a fallback stop.
    func resume(on model: String) {
        self.model = model
        stop = nil
    }

    func willSend(turn: Int) async throws {
        guard perRequest, turn > paidRequests, requestReservation == nil else { return }
        spend.kind = .request
        await flushEvents()
        switch try await engine.reserve(spend) {
        case .blocked(let denial):
            stop = .blocked(denial)
            throw Stop.blocked(denial)
        case .reserved(let reservation):
            guard reservation.context.actualModel == model else {
                try await engine.release(reservation, reason: "switching to fallback model")
                let fallback = Stop.fallback(model: reservation.context.actualModel, because: nil)
                stop = fallback
                throw fallback
            }
            requestReservation = reservation
        }
    }

    func didFinish(turn: Int, succeeded: Bool, usage: TokenUsage?) async {
        if succeeded { successfulRequests += 1 }
        guard let reservation = requestReservation else { return }
        requestReservation = nil
        await resolve(reservation, commit: succeeded, requests: 1, reason: "the provider failed the request")
    }

    /// Charges a steering message (1 × multiplier under per-session charging; per-request
    /// charging pays through the next request). Returns why it was refused, or `nil`.
    func chargeSteering() async -> String? {
        guard !perRequest else { return nil }
        var steering = spend
        steering.kind = .steering
        do {
            switch try await engine.reserve(steering) {
            case .blocked(let denial):
                return denial.description
            case .reserved(let reservation):
                await resolve(reservation, commit: true, requests: 0, reason: "")
                return nil
            }
        } catch {
            return "\(error)"
        }
    }

    /// Settles what the session still holds when it ends, whatever the way: commits the session
    /// charge once any model request succeeded (a cancelled or interrupted session is charged for
    /// what it consumed), else releases it; an open request reservation is released.
    func finish(reason: String) async {
        if let reservation = requestReservation {
            requestReservation = nil
            await resolve(reservation, commit: false, requests: 0, reason: reason)
        }
        if let reservation = sessionReservation {
            sessionReservation = nil
            await resolve(
                reservation, commit: successfulRequests > 0, requests: successfulRequests, reason: reason)
        }
    }

    private func resolve(_ reservation: Reservation, commit: Bool, requests: Int, reason: String) async {
        await flushEvents()
        do {
            if commit {
                let charge = try await engine.commit(reservation, policy: policy, requests: requests)
                await observer.observe(
                    .charged(session: charge.context.session ?? 0, org: charge.context.org, amount: charge.amount))
            } else {
                try await engine.release(reservation, reason: reason)
            }
        } catch {
            // The ledger refused (its file is unreadable, or the lease was lost and another process
            // released it already): nothing more can be done here; the lease reclaim settles it.
            await observer.observe(.notice("reservation \(reservation.id) could not be settled: \(error)"))
        }
    }
}
