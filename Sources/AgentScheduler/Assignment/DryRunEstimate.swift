import AgentSchedulerCore
import AgentSchedulerLedger

/// The sum of a dry run's estimates, beside what each budget the sessions would spend under has
/// left: does the batch fit?
public struct DryRunEstimate: Sendable, Hashable {
    public var unit: BillingUnit
    /// Queued sessions with an estimate.
    public var sessions: Int
    public var median: Amount
    public var p90: Amount
    /// The organisation's, the assigner's and each agent's budget in the current period.
    public var budgets: [BudgetLine]

    /// Lines for people under the dry run's table.
    public var text: String {
        var lines = [
            "estimate for \(pluralized(sessions, "session")): median \(median.reported), p90 \(p90.counted) in total"
        ]
        for line in budgets {
            guard let remaining = line.remaining else {
                lines.append("  \(line.scope.label): no limit")
                continue
            }
            let verdict =
                p90 <= remaining
                ? "the p90 fits" : median <= remaining ? "the median fits, the p90 does not" : "does not fit"
            lines.append("  \(line.scope.label): \(remaining.reported) remaining; \(verdict)")
        }
        return lines.joined(separator: "\n")
    }
}

extension DryRunEstimate: Encodable {
    enum CodingKeys: String, CodingKey {
        case unit, sessions, median, p90, text
    }

    /// `{"unit", "sessions", "median", "p90", "text"}`: the figures as reported, and the lines
    /// for people.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit.rawValue, forKey: .unit)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(median.reported, forKey: .median)
        try container.encode(p90.reported, forKey: .p90)
        try container.encode(text, forKey: .text)
    }
}
