import AgentSchedulerCore

/// The sums of a usage report.
public struct UsageTotals: Sendable, Hashable {
    /// Distinct sessions charged in the range (not the sum of the rows': a session spans groups).
    public var sessions: Int
    public var modelRequests: Int
    public var premiumRequests: PremiumRequests

    public init(sessions: Int = 0, modelRequests: Int = 0, premiumRequests: PremiumRequests = .zero) {
        self.sessions = sessions
        self.modelRequests = modelRequests
        self.premiumRequests = premiumRequests
    }
}
