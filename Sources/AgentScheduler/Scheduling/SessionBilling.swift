import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

/// Charges one session under its organisation's billing unit and charging mode (DESIGN §5, §9).
///
/// Premium requests, per-session charging: 1 × multiplier is reserved when the session is admitted
/// and committed when it ends, once at least one model request succeeded. Premium requests,
/// per-request charging: 1 × multiplier is reserved before every model request and committed after
/// it succeeds. AI credits: every request reserves its worst case — its prompt bound at the
/// dearest input price plus its `max_tokens` at the output price, with `max_tokens` lowered to
/// what the budget holds, down to a floor — and commits the cost of the usage the provider
/// reported; an answer without usage is charged its whole reservation.
///
/// A session is charged for what it consumed however it ends; a request the provider failed, and
/// a session that made no successful request, release what they hold. Every reservation is
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
        /// The session's own cap in credits (`max-ai-credits`) is reached: it fails, keeping its work.
        case capReached(BudgetDenial)

        var description: String {
            switch self {
            case .blocked(let denial): denial.description
            case .fallback(let model, _): "the budget is used up; continuing on \(model)"
            case .capReached(let denial): "stopped by the max-ai-credits limit: \(denial.description)"
            }
        }
    }

    /// What admission decided about the money.
    enum Admission: Sendable, Hashable {
        /// Go ahead on `model` (the fallback model when it differs from the session's).
        case admitted(model: String)
        case blocked(BudgetDenial)
    }

    /// The open reservation of the request in flight.
    private struct RequestHold {
        var reservation: Reservation
        var outputTokens: Int
        var promptTokens: Int
    }

    private let engine: BudgetEngine
    private let policy: OrganizationPolicy
    /// What is spent, always for the session's own model: the engine itself names the fallback
    /// model when the budget is used up.
    private var spend: Spend
    /// The model the session runs on now: its own, or the fallback model.
    private(set) var model: String
    private let observer: any SchedulerObserver
    /// The session's buffered events: flushed before a budget event, and where each request's
    /// price breakdown goes.
    private let events: EventBuffer?
    /// Model requests earlier runs of this session already paid for (per-request charging).
    private let paidRequests: Int
    /// Whether an earlier run already paid the session's start (per-session charging).
    private let paidSession: Bool
    private var sessionReservation: Reservation?
    private var requestHold: RequestHold?
    /// The worst case reserved ahead of the first request under credits, at admission.
    private var admissionHold: RequestHold?
    private(set) var successfulRequests = 0
    private(set) var stop: Stop?
    private var ledgerFailed: (@Sendable (LedgerError) async -> Void)?

    var perRequest: Bool { policy.chargesPerRequest }
    private var inCredits: Bool { policy.billing == .aiCredits }

    init(
        engine: BudgetEngine, policy: OrganizationPolicy, session: SessionRecord, earlierCharges: [Charge],
        observer: any SchedulerObserver, events: EventBuffer? = nil
    ) {
        self.engine = engine
        self.events = events
        self.policy = policy
        self.observer = observer
        spend = Spend(
            policy: policy, session: session.id, user: session.assigner, agent: session.agent,
            repository: session.repository, model: session.model, kind: .session,
            sessionLimit: session.limit(in: policy.billing))
        model = session.actualModel ?? session.model
        paidRequests = earlierCharges.filter { $0.context.kind == .request }.count
        paidSession = earlierCharges.contains { $0.context.kind == .session }
    }

    /// Reserves what the session needs to start: its session charge, or its next request's.
    ///
    /// `nextTurn` is the turn the loop starts with (1, or one after a saved conversation's last).
    /// Under credits the first request's worst case is not known before its prompt is: admission
    /// then reserves the smallest request that could run (`probe`: the prompt bound of the
    /// session's opening messages and the output floor), so a session is not started into an
    /// empty budget; the hold is released when the real first request reserves.
    func admit(nextTurn: Int, probe: ModelRequest? = nil) async throws -> Admission {
        if perRequest ? nextTurn <= paidRequests : paidSession { return .admitted(model: model) }
        if inCredits {
            guard let probe else { return .admitted(model: model) }
            spend.kind = .request
            switch try await reserveRequest(probe, maxOutputTokens: probe.maxTokens) {
            case .blocked(let denial):
                return .blocked(denial)
            case .reserved(let hold):
                admissionHold = hold
                model = hold.reservation.context.actualModel
                return .admitted(model: model)
            }
        }
        let kind: ChargeKind = perRequest ? .request : .session
        spend.kind = kind
        switch try await engine.reserve(spend) {
        case .blocked(let denial):
            return .blocked(denial)
        case .reserved(let reservation):
            if perRequest {
                requestHold = RequestHold(reservation: reservation, outputTokens: 0, promptTokens: 0)
            } else {
                sessionReservation = reservation
            }
            model = reservation.context.actualModel
            return .admitted(model: model)
        }
    }

    /// The least a session's requests can be, for admission under credits: its opening messages
    /// (the tools and the repository's instructions come on top) with the smallest answer. The
    /// scheduler requeues a blocked session only when this fits, so the two never disagree.
    static func openingProbe(_ record: SessionRecord, profile: AgentProfile, catalog: ModelCatalog?) -> ModelRequest {
        let model = catalog?.model(named: record.actualModel ?? record.model)
        let cap = min(profile.limits.maxOutputTokens ?? Int.max, model?.outputTokenCap ?? Int.max)
        return ModelRequest(
            model: record.model, messages: [.system(profile.prompt), .user(record.title + record.body)],
            maxTokens: min(cap, BudgetEngine.outputTokenFloor))
    }

    /// The worst case of `openingProbe` in credits; `nil` when the model has no price.
    static func openingWorstCase(
        _ record: SessionRecord, profile: AgentProfile, model: ModelDefinition, policy: OrganizationPolicy,
        catalog: ModelCatalog?
    ) -> AICredits? {
        guard let pricing = policy.models.pricing(for: model) else { return nil }
        let probe = openingProbe(record, profile: profile, catalog: catalog)
        return pricing.worstCase(
            promptTokens: probe.promptTokenBound(framingPerMessage: model.framingTokensPerMessage),
            outputTokens: probe.maxTokens
        ).credits
    }

    /// Continues on `model` after a fallback stop.
    func resume(on model: String) {
        self.model = model
        stop = nil
    }

    /// Tells `handler` when the ledger fails before a model request (it cannot be reached, or the
    /// lease is gone): the request is not sent, and the handler stops the session so that it ends
    /// `interrupted`, to be resumed, rather than `failed` for a fault that was not its own.
    func whenLedgerFails(_ handler: @escaping @Sendable (LedgerError) async -> Void) {
        ledgerFailed = handler
    }

    func willSend(turn: Int, request: ModelRequest) async throws -> Int {
        do {
            return try await reserveBeforeSending(turn: turn, request: request)
        } catch let error as LedgerError {
            switch error {
            case .unavailable, .leaseLost, .noSuchWorker, .corrupt: await ledgerFailed?(error)
            default: break
            }
            throw error
        }
    }

    /// What `willSend` does: reserves the request's charge where it has one, and otherwise makes
    /// sure the ledger answers, so that nothing is spent that the ledger cannot record (fail closed).
    private func reserveBeforeSending(turn: Int, request: ModelRequest) async throws -> Int {
        guard perRequest, turn > paidRequests else {
            // Per-session charging (or a request an earlier run paid for) reserves nothing here:
            // the session's hold covers the money, but a request the ledger cannot record must not
            // go out either.
            _ = try await engine.ledger.now()
            return request.maxTokens
        }
        if !inCredits, requestHold != nil { return request.maxTokens }
        spend.kind = .request
        await events?.flush()
        if let hold = admissionHold {
            admissionHold = nil
            await resolve(hold.reservation, commit: false, reason: "replaced by the first request's own reservation")
        }
        if inCredits {
            switch try await reserveRequest(request, maxOutputTokens: request.maxTokens) {
            case .blocked(let denial):
                let stop: Stop = denial.exhaustion.scope.kind == .session ? .capReached(denial) : .blocked(denial)
                self.stop = stop
                throw stop
            case .reserved(let hold):
                try await switchIfFallback(hold.reservation)
                requestHold = hold
                if hold.outputTokens < request.maxTokens {
                    await record(
                        .budgetOutputLowered(turn: turn, maxTokens: hold.outputTokens, wanted: request.maxTokens))
                }
                return hold.outputTokens
            }
        }
        switch try await engine.reserve(spend) {
        case .blocked(let denial):
            stop = .blocked(denial)
            throw Stop.blocked(denial)
        case .reserved(let reservation):
            try await switchIfFallback(reservation)
            requestHold = RequestHold(reservation: reservation, outputTokens: request.maxTokens, promptTokens: 0)
            return request.maxTokens
        }
    }

    func didFinish(turn: Int, succeeded: Bool, usage: TokenUsage?) async {
        if succeeded { successfulRequests += 1 }
        guard let hold = requestHold else { return }
        requestHold = nil
        guard succeeded else {
            await resolve(hold.reservation, commit: false, reason: "the provider failed the request")
            return
        }
        guard inCredits else {
            await resolve(hold.reservation, commit: true, requests: 1)
            return
        }
        await commitCredits(hold, turn: turn, usage: usage)
    }

    /// Charges steering message `message` (1 × multiplier under per-session charging; per-request
    /// charging and credits pay through the next request) and marks it delivered, in one ledger
    /// transaction, so a message is handed over and charged at most once, whatever fails.
    func deliverSteering(_ message: Int64) async -> SteeringDelivery {
        let ledger = engine.ledger
        let now = engine.clock.now()
        guard !perRequest else {
            return (try? await ledger.markDelivered(message, refusal: nil, at: now)) == true ? .deliver : .skip
        }
        var steering = spend
        steering.kind = .steering
        let reservation: Reservation
        do {
            switch try await engine.reserve(steering) {
            case .blocked(let denial):
                let refusal = denial.description
                let marked = try await ledger.markDelivered(message, refusal: refusal, at: now)
                return marked ? .refused(refusal) : .skip
            case .reserved(let reserved):
                reservation = reserved
            }
        } catch {
            // Nothing was charged or marked: the message waits for the next poll.
            return .skip
        }
        await events?.flush()
        do {
            let charge = try await engine.commit(reservation, policy: policy, requests: 0, delivering: message)
            await observer.observe(
                .charged(session: charge.context.session ?? 0, org: charge.context.org, amount: charge.amount))
            return .deliver
        } catch {
            // Delivered before (another poll won), or the ledger failed: release the hold; a
            // charge that did land makes this release fail harmlessly (`reservationResolved`).
            try? await engine.release(reservation, reason: "steering \(message) not delivered")
            return .skip
        }
    }

    /// Settles what the session still holds when it ends, whatever the way: commits the session
    /// charge once any model request succeeded (a cancelled or interrupted session is charged for
    /// what it consumed), else releases it; an open request reservation is released.
    func finish(reason: String) async {
        for hold in [requestHold, admissionHold].compactMap(\.self) {
            await resolve(hold.reservation, commit: false, reason: reason)
        }
        requestHold = nil
        admissionHold = nil
        if let reservation = sessionReservation {
            sessionReservation = nil
            await resolve(
                reservation, commit: successfulRequests > 0, requests: successfulRequests, reason: reason)
        }
    }

    /// Reserves one request's worst case under credits.
    private func reserveRequest(
        _ request: ModelRequest, maxOutputTokens: Int
    ) async throws -> RequestOutcome {
        guard let definition = engine.catalog.model(named: spend.model) else {
            throw BudgetError.unknownModel(spend.model)
        }
        let promptTokens = request.promptTokenBound(framingPerMessage: definition.framingTokensPerMessage)
        switch try await engine.reserveRequest(spend, promptTokens: promptTokens, maxOutputTokens: maxOutputTokens) {
        case .blocked(let denial):
            return .blocked(denial)
        case .reserved(let reservation, let outputTokens, _):
            return .reserved(
                RequestHold(reservation: reservation, outputTokens: outputTokens, promptTokens: promptTokens))
        }
    }

    private enum RequestOutcome {
        case reserved(RequestHold)
        case blocked(BudgetDenial)
    }

    /// Leaves the request's model when the engine reserved on the fallback model instead.
    private func switchIfFallback(_ reservation: Reservation) async throws {
        guard reservation.context.actualModel != model else { return }
        try await engine.release(reservation, reason: "switching to fallback model")
        let fallback = Stop.fallback(model: reservation.context.actualModel, because: nil)
        stop = fallback
        throw fallback
    }

    /// Commits what the reported usage costs, at most the reservation (a provider reporting more
    /// than the bound is charged the bound, with an event: the budget's invariant holds); an answer
    /// without usage is charged the whole reservation, with an event.
    private func commitCredits(_ hold: RequestHold, turn: Int, usage: TokenUsage?) async {
        let reserved = hold.reservation.amount
        let actualModel = hold.reservation.context.actualModel
        guard let usage, !usage.estimated else {
            await record(
                .budgetUsageMissing(
                    turn: turn, charged: AICredits(nanocredits: reserved.minorUnits),
                    why: "the answer carried no usage; the whole reservation is charged"))
            await resolve(hold.reservation, commit: true, requests: 1)
            return
        }
        let tokens = usage.counts
        let pricing = engine.catalog.model(named: actualModel).flatMap(policy.models.pricing(for:))
        guard let pricing else {
            await resolve(hold.reservation, commit: true, requests: 1, tokens: tokens)
            return
        }
        let (tier, cost) = pricing.cost(of: tokens)
        var charged = cost.amount
        var priced = PricedRequest(
            turn: turn, model: actualModel, tokens: tokens, tier: tier, cost: cost,
            reserved: AICredits(nanocredits: reserved.minorUnits), maxTokens: hold.outputTokens,
            promptBound: hold.promptTokens)
        if charged > reserved {
            priced.capped = "the reported usage costs more than the reserved worst case; the reservation is charged"
            charged = reserved
        }
        await record(.requestPriced(priced))
        await resolve(hold.reservation, commit: true, amount: charged, requests: 1, tokens: tokens)
    }

    private func record(_ payload: EventPayload) async {
        guard let events, let session = spend.session else { return }
        await events.append(NewEvent(payload, session: session, org: policy.org, at: engine.clock.now()))
    }

    private func resolve(
        _ reservation: Reservation, commit: Bool, amount: Amount? = nil, requests: Int = 1,
        tokens: TokenCounts = .zero, reason: String = ""
    ) async {
        await events?.flush()
        do {
            if commit {
                let charge = try await engine.commit(
                    reservation, policy: policy, amount: amount, requests: requests, tokens: tokens)
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
