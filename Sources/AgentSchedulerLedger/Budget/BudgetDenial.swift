import AgentSchedulerCore
import Foundation

/// Why a spend was refused: which scope is used up, by how much, and when it resets.
public struct BudgetDenial: Error, Sendable, Hashable, CustomStringConvertible {
    public var exhaustion: ScopeExhaustion
    /// When the scope's period ends; `nil` for a session's cap or a budget with `period: none`.
    public var resetsAt: Date?

    public init(exhaustion: ScopeExhaustion, resetsAt: Date?) {
        self.exhaustion = exhaustion
        self.resetsAt = resetsAt
    }

    /// One line for people, e.g. "the budget of organisation acme is used up: 299.5 used and 0.5
    /// reserved of 300, 1 more needed; it resets at 2026-12-01T00:00:00Z".
    public var description: String {
        let scope = exhaustion.scope
        let usage = exhaustion.usage
        let cap = scope.unit == .premiumRequests ? "premium-request" : "credit"
        let what = scope.kind == .session ? "the \(cap) cap of \(scope.label)" : "the budget of \(scope.label)"
        let limit = scope.limit.map { scope.unit == .premiumRequests ? $0.description : $0.counted } ?? "unlimited"
        var text =
            "\(what) is used up: \(usage.used.reported) used and \(usage.reserved.reported) reserved of \(limit), \(exhaustion.requested.reported) more needed"
        if let resetsAt {
            text += "; it resets at \(resetsAt.formatted(.iso8601))"
        }
        return text
    }
}

/// Why a spend could not even be considered; budget code fails closed on each.
public enum BudgetError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownModel(String)
    case modelNotAllowed(model: String, org: String)
    /// The model has no price in the organisation's unit: no multiplier, or no token pricing.
    case unpriced(model: String, unit: BillingUnit)

    public var description: String {
        switch self {
        case .unknownModel(let model): "model '\(model)' is not in the model catalog; nothing can be charged for it"
        case .modelNotAllowed(let model, let org): "organisation \(org) does not allow model '\(model)'"
        case .unpriced(let model, .premiumRequests):
            "model '\(model)' has no premium-request multiplier; nothing can be charged for it"
        case .unpriced(let model, .aiCredits):
            "model '\(model)' has no token pricing; nothing can be charged for it in AI credits"
        }
    }
}
