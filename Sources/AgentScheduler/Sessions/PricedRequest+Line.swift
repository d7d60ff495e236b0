import AgentSchedulerCore
import AgentSchedulerLedger

extension PricedRequest {
    /// One line of `sessions show`: `turn 3  gpt-5.4  in 1200  cached 800  write 0  out 310  standard  0.2365`.
    var line: String {
        let columns: [(String, Int)] = [
            ("turn \(turn)", 8), (model, 20), ("in \(tokens.input)", 10), ("cached \(tokens.cachedInput)", 14),
            ("write \(tokens.cacheWrite)", 12), ("out \(tokens.output)", 10), (tier.rawValue, 14),
        ]
        let figures = "\(cost.amount.reported) of \(reserved.amount.reported) held"
        return columns.map { text, width in text + String(repeating: " ", count: max(1, width - text.count)) }
            .joined() + figures
    }
}
