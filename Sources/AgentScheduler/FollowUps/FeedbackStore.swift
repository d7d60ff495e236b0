import AgentSchedulerForges
import AgentSchedulerLedger

/// What `FeedbackSync` needs to remember between passes, and across processes: the pull requests
/// agentsched opened, where their feedback was last read, and which comments were acted on.
///
/// `LedgerFeedbackStore` keeps all of it in the ledger. Acting on a comment is exactly once: a
/// comment key (`FeedbackComment.key`) is recorded in the same transaction as what was done with it.
public protocol FeedbackStore: Sendable {
    /// The open pull requests agentsched opened, of `repository` or of every repository.
    func openPullRequests(repository: String?) async throws -> [TrackedPullRequest]
    /// Remembers where the feedback of a pull request was read up to.
    func saveCursor(_ cursor: FeedbackCursor, for pull: TrackedPullRequest) async throws
    /// Queues a follow-up of `pull`'s latest session with `feedback`, assigned by `user`, and marks
    /// `keys` acted on, at once; `nil` (and nothing created) when any key was acted on already.
    /// Throws ``FollowUpDeferred`` when a session is still at work on the branch: the feedback
    /// waits for the next pass.
    func createFollowUp(
        of pull: TrackedPullRequest, feedback: String, by user: String, keys: [String]
    ) async throws -> SessionRecord?
    /// Marks `keys` of `pull` acted on without a follow-up; returns the ones not marked before.
    func markIgnored(_ keys: [String], of pull: TrackedPullRequest) async throws -> [String]
}

/// A pull request agentsched opened, and what `sync` needs of it.
public struct TrackedPullRequest: Sendable, Hashable {
    /// `OWNER/NAME`.
    public var repository: String
    public var number: Int
    /// The session that last worked on its branch: the one a follow-up continues.
    public var latestSession: SessionID
    /// Where its feedback was last read up to; `nil` before the first pass.
    public var cursor: FeedbackCursor?

    public init(repository: String, number: Int, latestSession: SessionID, cursor: FeedbackCursor? = nil) {
        self.repository = repository
        self.number = number
        self.latestSession = latestSession
        self.cursor = cursor
    }
}

/// A follow-up that cannot be queued yet: a session is still at work on the pull request's branch.
public struct FollowUpDeferred: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
