import AgentSchedulerCore
import Foundation

/// One limit a reservation must fit under: an organisation's period budget, a user's allowance,
/// an agent's cap, or a session's own cap.
public struct BudgetScope: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case org, user, agent, session
    }

    public var kind: Kind
    /// `acme`, `acme/alice`, `acme/reviewer`, or a session id.
    public var name: String
    /// The unit the scope counts: its organisation's billing unit.
    public var unit: BillingUnit
    /// `nil` is no limit: usage is still counted. Always in `unit`.
    public var limit: Amount?
    /// The period the usage counts toward; a session's cap has one period for its whole life.
    public var periodStart: Date
    public var periodEnd: Date?

    public init(
        kind: Kind, name: String, unit: BillingUnit = .premiumRequests, limit: Amount?, periodStart: Date,
        periodEnd: Date?
    ) {
        precondition(limit.map { $0.unit == unit } ?? true, "a scope's limit is in the scope's unit")
        self.kind = kind
        self.name = name
        self.unit = unit
        self.limit = limit
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }

    /// The key the ledger counts usage under: `org:acme`, `user:acme/alice`, … in premium
    /// requests, and `org:acme@ai-credits`, … in credits, so the two units never share a total
    /// (an organisation that changes its billing mid-period starts its credits at zero).
    public var key: ScopeKey { ScopeKey(kind: kind, name: name, unit: unit) }

    /// For people: "organisation acme", "user alice in acme", "agent reviewer in acme", "session 42".
    public var label: String {
        switch kind {
        case .org: return "organisation \(name)"
        case .session: return "session \(name)"
        case .user, .agent:
            let parts = name.split(separator: "/", maxSplits: 1)
            return parts.count == 2 ? "\(kind.rawValue) \(parts[1]) in \(parts[0])" : "\(kind.rawValue) \(name)"
        }
    }
}

/// A scope's standing in one period.
public struct ScopeUsage: Sendable, Hashable, Codable {
    public var used: Amount
    public var reserved: Amount

    public init(used: Amount, reserved: Amount) {
        precondition(used.unit == reserved.unit, "a scope's figures share its unit")
        self.used = used
        self.reserved = reserved
    }

    /// Nothing used or reserved yet.
    public static func zero(_ unit: BillingUnit) -> ScopeUsage { ScopeUsage(used: .zero(unit), reserved: .zero(unit)) }

    /// What is left under `limit`: never below zero.
    public func remaining(under limit: Amount) -> Amount {
        let left = limit - used - reserved
        return left.minorUnits > 0 ? left : .zero(limit.unit)
    }
}
