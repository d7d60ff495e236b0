/// An organisation's budget for each period, in its billing unit, and what happens when it runs out.
public struct BudgetPolicy: Sendable, Hashable, Codable {
    public enum Period: String, Sendable, Hashable, Codable, CaseIterable {
        /// From the 1st of each month, 00:00:00 UTC.
        case monthly
        /// From each Monday, 00:00:00 UTC.
        case weekly
        /// From each day, 00:00:00 UTC.
        case daily
        /// One period for all time.
        case none
    }

    public enum Exhaustion: String, Sendable, Hashable, Codable, CaseIterable {
        /// Sessions wait in `blocked` until budget appears.
        case block
        /// Sessions run on `fallback-model`, which costs nothing.
        case fallback
    }

    /// Per period, in the policy's billing unit; `nil` is unlimited.
    public var limit: Amount?
    public var period: Period
    public var onExhausted: Exhaustion
    /// A catalog model with multiplier 0; required with `on-exhausted: fallback`.
    public var fallbackModel: String?
    /// Percentages of the budget at which an alert event is recorded, once per period each.
    public var alerts: [Int]

    public init(
        limit: Amount? = nil,
        period: Period = .monthly,
        onExhausted: Exhaustion = .block,
        fallbackModel: String? = nil,
        alerts: [Int] = []
    ) {
        self.limit = limit
        self.period = period
        self.onExhausted = onExhausted
        self.fallbackModel = fallbackModel
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case period, alerts, limit
        case onExhausted = "on-exhausted"
        case fallbackModel = "fallback-model"
    }
}
