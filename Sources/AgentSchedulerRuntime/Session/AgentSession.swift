import Foundation

/// One agent on one issue, from the first request to a branch: runs the loop in the session's
/// lazily created repository, then commits what changed (author: the agent; trailers: the session
/// and the issue), delivers the branch to the source repository, writes a patch file, and removes
/// the session repository. The branch stays.
///
/// A cancelled session keeps its repository and commits and delivers what it had, so the work is
/// not lost; a session that never touched a file, or changed nothing, leaves no branch, commit or
/// patch.
public struct AgentSession: Sendable {
    /// What a session leaves behind.
    public struct Output: Sendable, Hashable {
        public var outcome: AgentOutcome
        public var branch: String
        /// The commit `branch` points at in the source repository, when anything changed.
        public var commit: String?
        /// The patch of the branch since its base, when there is a commit.
        public var patch: URL?
        /// Why finishing (commit, patch, clean-up) went wrong, when it did.
        public var finishingError: String?

        public init(
            outcome: AgentOutcome, branch: String, commit: String? = nil, patch: URL? = nil,
            finishingError: String? = nil
        ) {
            self.outcome = outcome
            self.branch = branch
            self.commit = commit
            self.patch = patch
            self.finishingError = finishingError
        }
    }

    public var id: String
    public var loop: AgentLoop
    public var worktree: LazyWorktree
    public var branch: String
    public var patchFile: URL
    /// Whether the session ends with this outcome (commit, patch, clean-up), or only pauses: the
    /// caller goes on in the same worktree (the scheduler, after switching to a fallback model).
    public var ends: @Sendable (AgentOutcome) async -> Bool

    public init(
        id: String, loop: AgentLoop, worktree: LazyWorktree, branch: String, patchFile: URL,
        ends: @escaping @Sendable (AgentOutcome) async -> Bool = { _ in true }
    ) {
        self.id = id
        self.loop = loop
        self.worktree = worktree
        self.branch = branch
        self.patchFile = patchFile
        self.ends = ends
    }

    /// `agentsched/ISSUE-AGENT-ID`, the branch a session's work lands on.
    public static func branchName(issue: Int, agent: String, session: String) -> String {
        let safeAgent = agent.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
        return "agentsched/\(issue)-\(String(safeAgent))-\(session)"
    }

    public func run(resuming saved: [ChatMessage]? = nil) async -> Output {
        let outcome = await loop.run(resuming: saved)
        var output = Output(outcome: outcome, branch: branch, commit: nil, patch: nil, finishingError: nil)
        guard await ends(outcome) else { return output }
        if worktree.continuesEarlierWork, await worktree.worktree == nil {
            // A resumed run that touched no file still delivers what the earlier runs did.
            do {
                _ = try await worktree.root()
            } catch {
                output.finishingError = "\(error)"
                return output
            }
        }
        guard let tree = await worktree.worktree else { return output }
        let assignment = loop.assignment
        do {
            _ = try await tree.commitAll(
                authorName: assignment.agent, authorEmail: "\(assignment.agent)@agents.agentsched.invalid",
                message: Self.commitMessage(assignment: assignment, outcome: outcome),
                trailers: [("Agentsched-Session", id), ("Agentsched-Issue", "#\(assignment.issue)")])
            // The branch reaches the source only when it has commits: no empty branches.
            output.commit = try await tree.deliver(through: patchFile.appendingPathExtension("bundle"))
            if output.commit != nil {
                try await tree.writePatch(to: patchFile)
                output.patch = patchFile
            }
            if outcome != .cancelled {
                try await tree.remove()
            }
        } catch {
            output.finishingError = "\(error)"
        }
        return output
    }

    static func commitMessage(assignment: AgentLoop.Assignment, outcome: AgentOutcome) -> String {
        var lines = ["\(assignment.title) (#\(assignment.issue))", ""]
        switch outcome {
        case .completed(let summary): lines.append(summary)
        case .stopped(let limit): lines.append("Stopped by the profile's \(limit.rawValue) limit; work in progress.")
        case .cancelled: lines.append("Cancelled; work in progress.")
        case .failed(let reason): lines.append("The session failed: \(reason); work in progress.")
        case .paused(let reason): lines.append("Paused: \(reason); work in progress.")
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
