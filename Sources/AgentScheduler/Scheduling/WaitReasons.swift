import AgentSchedulerCore
import AgentSchedulerLedger

/// Why each session that has not ended is still waiting, as `run --until-idle` prints it.
public enum WaitReasons {
    /// Every queued, blocked, interrupted or active session, oldest first, with a one-line reason.
    public static func load(
        ledger: any Ledger, workspace: Workspace
    ) async throws -> [(session: SessionRecord, reason: String)] {
        let waiting = try await ledger.sessions(in: [.queued, .blocked, .interrupted, .running, .throttled])
        guard !waiting.isEmpty else { return [] }
        let counts = try await ledger.activeCounts()
        return waiting.map { session in
            (session, reason(for: session, counts: counts, workspace: workspace))
        }
    }

    static func reason(for session: SessionRecord, counts: ActiveCounts, workspace: Workspace) -> String {
        switch (session.state, session.worker) {
        case (.blocked, _):
            return session.reason ?? "blocked by a budget"
        case (.running, let worker?), (.throttled, let worker?):
            return "\(session.state.rawValue) on worker \(worker)"
        case (_, let worker?):
            return "claimed by worker \(worker)"
        default:
            let limits = workspace.policy(named: session.org)?.concurrency
            if let reached = counts.limitReached(
                org: session.org, repository: session.repository, user: session.assigner, limits: limits)
            {
                return "waiting: \(reached)"
            }
            return session.state == .interrupted
                ? "interrupted; the next run resumes it" : "waiting for a run with a free slot"
        }
    }
}
