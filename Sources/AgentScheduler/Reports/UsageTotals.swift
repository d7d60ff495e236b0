import AgentSchedulerCore

/// The sums of a usage report.
public struct UsageTotals: Sendable, Hashable {
    /// Distinct sessions charged in the range (not the sum of the rows': a session spans groups).
    public var sessions: Int
    public var modelRequests: Int
    public var premiumRequests: PremiumRequests
    public var aiCredits: AICredits
    /// The tokens of the charges in AI credits.
    public var tokens: TokenCounts

    public init(
        sessions: Int = 0, modelRequests: Int = 0, premiumRequests: PremiumRequests = .zero,
        aiCredits: AICredits = .zero, tokens: TokenCounts = .zero
    ) {
        self.sessions = sessions
        self.modelRequests = modelRequests
        self.premiumRequests = premiumRequests
        self.aiCredits = aiCredits
        self.tokens = tokens
    }
}
