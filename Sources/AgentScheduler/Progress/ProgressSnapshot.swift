import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What the live view shows at one instant: sessions by state, each organisation's budget, and
/// the sessions running in this process.
public struct ProgressSnapshot: Sendable, Hashable {
    /// One running session's line.
    public struct Running: Sendable, Hashable {
        public var session: SessionID
        public var issue: Int
        public var agent: String
        public var model: String
        public var state: SessionState
        public var turn: Int
        public var lastTool: String?
    }

    /// One organisation's budget in its current period.
    public struct Budget: Sendable, Hashable {
        public var org: String
        public var used: Amount
        public var reserved: Amount
        /// `nil` for an unlimited budget.
        public var remaining: Amount?
    }

    public var counts: [SessionState: Int]
    public var budgets: [Budget]
    public var running: [Running]
    public var elapsed: Duration

    /// The frame as lines, each at most `width` characters.
    public func lines(width: Int) -> [String] {
        let order: [SessionState] = [
            .queued, .running, .throttled, .blocked, .interrupted, .completed, .failed, .timedOut, .cancelled, .denied,
        ]
        let counted = order.compactMap { state in counts[state].map { "\(state.rawValue) \($0)" } }
        let seconds = elapsed.components.seconds
        var lines = [
            "agentsched run  \(seconds / 60)m\(String(format: "%02d", seconds % 60))s  "
                + (counted.isEmpty ? "no sessions" : counted.joined(separator: " · "))
        ]
        for budget in budgets {
            lines.append(
                "  \(budget.org): \(budget.used.counted) used, \(budget.reserved) reserved, "
                    + (budget.remaining.map { "\($0) remaining" } ?? "no limit"))
        }
        if !running.isEmpty {
            var table = TextTable(
                headers: ["SESSION", "ISSUE", "AGENT", "MODEL", "STATE", "TURN", "LAST TOOL"],
                alignments: [.right, .right, .left, .left, .left, .right, .left])
            for session in running.sorted(by: { $0.session < $1.session }) {
                table.append([
                    "\(session.session)", "#\(session.issue)", session.agent, session.model, session.state.rawValue,
                    "\(session.turn)", session.lastTool ?? "-",
                ])
            }
            lines += table.render().split(separator: "\n").map { "  " + $0 }
        }
        return lines.map { $0.count > width ? String($0.prefix(max(1, width - 1))) + "…" : $0 }
    }
}
