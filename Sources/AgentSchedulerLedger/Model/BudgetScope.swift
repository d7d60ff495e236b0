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
    /// `nil` is no limit: usage is still counted.
    public var limit: PremiumRequests?
    /// The period the usage counts toward; a session's cap has one period for its whole life.
    public var periodStart: Date
    public var periodEnd: Date?

    public init(kind: Kind, name: String, limit: PremiumRequests?, periodStart: Date, periodEnd: Date?) {
        self.kind = kind
        self.name = name
        self.limit = limit
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }

    /// The key the ledger counts usage under: `org:acme`, `user:acme/alice`, …
    public var key: String { "\(kind.rawValue):\(name)" }

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
    public var used: PremiumRequests
    public var reserved: PremiumRequests

    public init(used: PremiumRequests = .zero, reserved: PremiumRequests = .zero) {
        self.used = used
        self.reserved = reserved
    }
}
