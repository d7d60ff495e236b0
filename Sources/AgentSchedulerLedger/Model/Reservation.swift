import AgentSchedulerCore
import Foundation

/// What a reservation is for: the session's start, one model request, or a steering message.
public enum ChargeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case session, request, steering
}

/// Everything the ledger records about who spends what.
public struct ChargeContext: Sendable, Hashable, Codable {
    public var session: SessionID?
    public var org: String
    public var user: String
    public var agent: String
    public var repository: String
    /// The model the profile asked for.
    public var requestedModel: String
    /// The model that runs: the fallback model when the budget ran out under `on-exhausted: fallback`.
    public var actualModel: String
    public var kind: ChargeKind

    public init(
        session: SessionID?, org: String, user: String, agent: String, repository: String, requestedModel: String,
        actualModel: String? = nil, kind: ChargeKind
    ) {
        self.session = session
        self.org = org
        self.user = user
        self.agent = agent
        self.repository = repository
        self.requestedModel = requestedModel
        self.actualModel = actualModel ?? requestedModel
        self.kind = kind
    }
}

/// A request to hold `amount` under every scope at once.
public struct ReservationRequest: Sendable, Hashable {
    public var context: ChargeContext
    /// In the unit of every scope.
    public var amount: Amount
    public var scopes: [BudgetScope]
    /// The worker whose lease the reservation lives under.
    public var worker: WorkerID
    public var at: Date

    public init(context: ChargeContext, amount: Amount, scopes: [BudgetScope], worker: WorkerID, at: Date) {
        self.context = context
        self.amount = amount
        self.scopes = scopes
        self.worker = worker
        self.at = at
    }
}

/// Budget held for a charge that is about to happen; committed or released exactly once.
public struct Reservation: Sendable, Hashable, Codable, Identifiable {
    public var id: ReservationID
    public var context: ChargeContext
    public var amount: Amount
    public var worker: WorkerID
    public var periodStart: Date
    public var createdAt: Date

    public init(
        id: ReservationID, context: ChargeContext, amount: Amount, worker: WorkerID, periodStart: Date, createdAt: Date
    ) {
        self.id = id
        self.context = context
        self.amount = amount
        self.worker = worker
        self.periodStart = periodStart
        self.createdAt = createdAt
    }
}

/// Why a reservation did not fit: the first scope it would overrun, with the figures.
public struct ScopeExhaustion: Sendable, Hashable, Codable {
    public var scope: BudgetScope
    public var usage: ScopeUsage
    public var requested: Amount

    public init(scope: BudgetScope, usage: ScopeUsage, requested: Amount) {
        self.scope = scope
        self.usage = usage
        self.requested = requested
    }
}

/// The ledger's answer to a reservation request.
public enum ReservationOutcome: Sendable, Hashable {
    case reserved(Reservation)
    case exhausted(ScopeExhaustion)
}

/// A committed reservation: premium requests or AI credits spent.
public struct Charge: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var reservation: ReservationID
    public var context: ChargeContext
    public var amount: Amount
    /// Model requests this charge covers.
    public var requests: Int
    /// The tokens the provider reported for the request (zero under premium requests, and when
    /// the answer carried no usage and the whole reservation was charged).
    public var tokens: TokenCounts
    public var at: Date

    public init(
        id: Int64, reservation: ReservationID, context: ChargeContext, amount: Amount, requests: Int,
        tokens: TokenCounts = .zero, at: Date
    ) {
        self.id = id
        self.reservation = reservation
        self.context = context
        self.amount = amount
        self.requests = requests
        self.tokens = tokens
        self.at = at
    }
}
