import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What `run` prints when it ends: the sessions it worked on and where each ended, the premium
/// requests they cost, and why the sessions still open wait.
public struct RunSummary: Sendable {
    public var sessions: [SessionSummary]
    public var waiting: [(session: SessionRecord, reason: String)]
    /// The budget alerts the run crossed, as sentences (`ProgressBoard.alerts`).
    public var alerts: [String] = []
    /// The MCP calls of the run's sessions per server: how many, and how many did not answer.
    public var mcpCalls: [String: (calls: Int, failed: Int)] = [:]

    /// Sessions listed one per line up to this many; beyond it, counted by state and agent.
    public static let maxListed = 60

    public static func load(
        ledger: any Ledger, touched: [SessionID], workspace: Workspace, alerts: [String] = []
    ) async throws -> RunSummary {
        let ids = Set(touched)
        let summaries = try await SessionSummary.load(from: ledger).filter { ids.contains($0.session.id) }
        var mcpCalls: [String: (calls: Int, failed: Int)] = [:]
        for id in ids.sorted() {
            for event in try await ledger.events(session: id, after: 0) {
                guard case .mcpCall(_, _, let server, _, _, let outcome) = event.payload else { continue }
                let answered = ["ok", "error-result"].contains(outcome)
                mcpCalls[server, default: (0, 0)].calls += 1
                if !answered { mcpCalls[server, default: (0, 0)].failed += 1 }
            }
        }
        return RunSummary(
            sessions: summaries, waiting: try await WaitReasons.load(ledger: ledger, workspace: workspace),
            alerts: alerts, mcpCalls: mcpCalls)
    }

    public func text() -> String {
        var parts: [String] = []
        if sessions.isEmpty {
            parts.append("No session was run.")
        } else if sessions.count <= Self.maxListed {
            var table = TextTable(
                headers: ["ID", "ISSUE", "AGENT", "MODEL", "STATE", "PREMIUM", "RESULT"],
                alignments: [.right, .right, .left, .left, .left, .right, .left])
            for summary in sessions {
                let session = summary.session
                table.append([
                    "\(session.id)", "#\(session.issue)", session.agent, session.actualModel ?? session.model,
                    session.state.rawValue, summary.figure, Self.result(session),
                ])
            }
            parts.append(table.render())
        } else {
            var table = TextTable(
                headers: ["STATE", "AGENT", "SESSIONS", "PREMIUM"], alignments: [.left, .left, .right, .right])
            let groups = Dictionary(grouping: sessions) { "\($0.session.state.rawValue)\u{0}\($0.session.agent)" }
            for key in groups.keys.sorted() {
                let group = groups[key]!
                let names = key.split(separator: "\u{0}").map(String.init)
                table.append([names[0], names[1], "\(group.count)", SessionSummary.spent(by: group)])
            }
            parts.append(table.render())
        }
        let states = Dictionary(grouping: sessions, by: \.session.state.rawValue).mapValues(\.count)
        parts.append(
            "\(pluralized(sessions.count, "session")): "
                + states.keys.sorted().map { "\(states[$0]!) \($0)" }.joined(separator: ", ")
                + "; \(SessionSummary.spent(by: sessions)) charged.")
        if !mcpCalls.isEmpty {
            parts.append(
                "MCP calls: "
                    + mcpCalls.keys.sorted().map { server in
                        let (calls, failed) = mcpCalls[server]!
                        return "\(server) \(calls)" + (failed > 0 ? " (\(failed) unanswered)" : "")
                    }.joined(separator: ", "))
        }
        if !alerts.isEmpty {
            parts.append("Budget alerts:\n" + alerts.map { "  \($0)" }.joined(separator: "\n"))
        }
        if !waiting.isEmpty {
            parts.append("Still waiting:")
            let shown = waiting.prefix(Self.maxListed)
            parts.append(
                shown.map { "  session \($0.session.id) #\($0.session.issue) \($0.session.agent): \($0.reason)" }
                    .joined(separator: "\n"))
            if waiting.count > shown.count { parts.append("  … and \(waiting.count - shown.count) more") }
        }
        return parts.joined(separator: "\n")
    }

    /// What a session came to: a failure's reason first and then its branch (`stopped by the
    /// profile's max-turns limit; branch agentsched/…`), else the branch and its pull request, else
    /// the reason, else the start of its summary.
    static func result(_ session: SessionRecord) -> String {
        if let reason = session.reason, session.state != .completed {
            return session.outputs.branch.map { "\(reason); branch \($0)" } ?? reason
        }
        if let branch = session.outputs.branch {
            return session.outputs.pullRequest.map { "\(branch), pull request #\($0.number) \($0.url)" } ?? branch
        }
        if let reason = session.reason { return reason }
        let summary = session.outputs.summary?.split(separator: "\n").first.map(String.init) ?? ""
        return summary.count > 80 ? String(summary.prefix(79)) + "…" : summary
    }
}
