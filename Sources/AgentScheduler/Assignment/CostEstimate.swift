import AgentSchedulerCore

/// What one session is expected to cost, for `assign --dry-run` (DESIGN §9): the median and 90th
/// percentile of the completed sessions of the same agent and model, or, with no history, what
/// the profile's limits allow.
public struct CostEstimate: Sendable, Hashable, Encodable {
    /// Where the figures come from.
    public enum Basis: String, Sendable, Hashable, Encodable {
        /// Completed sessions of the agent on the model, from the ledger.
        case history
        /// No history: the most the session's limits let it spend (`max-ai-credits`, or
        /// `max-turns` × the worst case of a request; 1 × the multiplier per session under
        /// per-session charging).
        case limits
    }

    public var unit: BillingUnit
    public var median: Amount
    public var p90: Amount
    public var basis: Basis
    /// How many completed sessions the figures come from (0 for `limits`).
    public var sessions: Int

    public init(unit: BillingUnit, median: Amount, p90: Amount, basis: Basis, sessions: Int = 0) {
        self.unit = unit
        self.median = median
        self.p90 = p90
        self.basis = basis
        self.sessions = sessions
    }

    /// The estimate of completed sessions that cost `costs` (in any order); `nil` when there are none.
    ///
    /// Percentiles are nearest-rank: the median of 1, 2, 3, 10 is 2, its 90th percentile 10.
    public static func history(_ costs: [Amount], unit: BillingUnit) -> CostEstimate? {
        guard !costs.isEmpty else { return nil }
        let sorted = costs.sorted()
        func rank(_ percent: Int) -> Amount { sorted[(sorted.count * percent + 99) / 100 - 1] }
        return CostEstimate(unit: unit, median: rank(50), p90: rank(90), basis: .history, sessions: costs.count)
    }

    /// One line for people: `median 12.40, p90 31.00 AI credits (14 sessions)`.
    public var text: String {
        let figures = "median \(median.reported), p90 \(p90.counted)"
        return basis == .history ? "\(figures) (\(pluralized(sessions, "session")))" : "\(figures) (from limits)"
    }

    enum CodingKeys: String, CodingKey {
        case unit, median, p90, basis, sessions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit, forKey: .unit)
        try container.encode(median.decimal, forKey: .median)
        try container.encode(p90.decimal, forKey: .p90)
        try container.encode(basis, forKey: .basis)
        try container.encode(sessions, forKey: .sessions)
    }
}
