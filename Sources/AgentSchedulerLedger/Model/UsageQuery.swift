import AgentSchedulerCore
import Foundation

/// A dimension `usage --by` groups charges by.
public enum UsageDimension: String, Sendable, Hashable, Codable, CaseIterable {
    case org, user, agent, model, repo, day, session
}

/// Which charges a usage report covers and how it groups them.
public struct UsageQuery: Sendable, Hashable {
    /// Charges at or after this instant…
    public var from: Date
    /// …and before this one.
    public var until: Date
    /// Only this organisation's charges, when set.
    public var org: String?
    /// Grouping, in column order; empty gives one total row.
    public var dimensions: [UsageDimension]

    public init(from: Date, until: Date, org: String? = nil, dimensions: [UsageDimension]) {
        self.from = from
        self.until = until
        self.org = org
        self.dimensions = dimensions
    }
}

/// One group of charges.
public struct UsageRow: Sendable, Hashable {
    /// One value per query dimension, in the query's order. For `model` it is the requested model;
    /// `actualModel` says what ran instead when a fallback was used. `day` is `YYYY-MM-DD` (UTC).
    public var values: [String]
    /// The model that ran, when grouping by `model`.
    public var actualModel: String?
    public var sessions: Int
    public var modelRequests: Int
    /// What the group's charges in premium requests add up to.
    public var premiumRequests: PremiumRequests
    /// What the group's charges in AI credits add up to.
    public var aiCredits: AICredits
    /// The tokens of the group's charges (credits charges only).
    public var tokens: TokenCounts

    public init(
        values: [String], actualModel: String? = nil, sessions: Int, modelRequests: Int,
        premiumRequests: PremiumRequests, aiCredits: AICredits = .zero, tokens: TokenCounts = .zero
    ) {
        self.values = values
        self.actualModel = actualModel
        self.sessions = sessions
        self.modelRequests = modelRequests
        self.premiumRequests = premiumRequests
        self.aiCredits = aiCredits
        self.tokens = tokens
    }
}

/// The groups of a usage query and their totals, read from one consistent view of the ledger.
public struct UsageTable: Sendable, Hashable {
    public var rows: [UsageRow]
    /// Distinct sessions across all rows (a session may appear in several rows).
    public var sessions: Int
    public var modelRequests: Int
    public var premiumRequests: PremiumRequests
    public var aiCredits: AICredits
    public var tokens: TokenCounts

    public init(
        rows: [UsageRow], sessions: Int, modelRequests: Int, premiumRequests: PremiumRequests,
        aiCredits: AICredits = .zero, tokens: TokenCounts = .zero
    ) {
        self.rows = rows
        self.sessions = sessions
        self.modelRequests = modelRequests
        self.premiumRequests = premiumRequests
        self.aiCredits = aiCredits
        self.tokens = tokens
    }

    public static let empty = UsageTable(rows: [], sessions: 0, modelRequests: 0, premiumRequests: .zero)
}
