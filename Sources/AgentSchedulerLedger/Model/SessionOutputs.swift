/// What a session left behind: its branch and last commit, the patch file, the worktree it kept,
/// the agent's summary, and the pull request its branch is in. Every field is `nil` until the session produced it.
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
    /// The pull request the session opened, or the one its commits went to (a follow-up's).
    public var pullRequest: PullRequestLink?

    enum CodingKeys: String, CodingKey {
        case branch, commit, patch, worktree, summary
        case pullRequest = "pull_request"
    }

    public init(
        branch: String? = nil, commit: String? = nil, patch: String? = nil, worktree: String? = nil,
        summary: String? = nil, pullRequest: PullRequestLink? = nil
    ) {
        self.branch = branch
        self.commit = commit
        self.patch = patch
        self.worktree = worktree
        self.summary = summary
        self.pullRequest = pullRequest
    }

    /// Whether nothing was produced.
    public var isEmpty: Bool { self == SessionOutputs() }
}
