/// What a session left behind: its branch and last commit, the patch file, the worktree it kept,
/// and the agent's summary. Every field is `nil` until the session produced it.
public struct SessionOutputs: Sendable, Hashable, Codable {
    /// `agentsched/ISSUE-AGENT-ID`.
    public var branch: String?
    /// The last commit on `branch`.
    public var commit: String?
    /// The patch file of the branch since its base.
    public var patch: String?
    /// The worktree folder, when it was kept (a cancelled session keeps its worktree).
    public var worktree: String?
    /// The agent's last message.
    public var summary: String?

    public init(
        branch: String? = nil, commit: String? = nil, patch: String? = nil, worktree: String? = nil,
        summary: String? = nil
    ) {
        self.branch = branch
        self.commit = commit
        self.patch = patch
        self.worktree = worktree
        self.summary = summary
    }

    /// Whether nothing was produced.
    public var isEmpty: Bool { self == SessionOutputs() }
}
