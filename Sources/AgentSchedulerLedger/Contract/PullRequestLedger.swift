import AgentSchedulerCore
import Foundation

/// Pull requests, the feedback acted on, and local comments.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol PullRequestLedger: Sendable {
    // MARK: Pull requests

    /// Records a forge's pull request, or updates the one recorded under its repository and
    /// number (its head, base, title, body, state and draft flag).
    ///
    /// `fields.session`, when given, becomes the latest session on it, and the one that opened it
    /// if none is recorded yet; the feedback cursor is kept. Throws `pullRequestExists` when
    /// another open pull request of the repository has the same head.
    @discardableResult
    func recordPullRequest(
        _ fields: PullRequestFields, number: Int, url: String, at: Date
    ) async throws
        -> PullRequestRecord
    /// Records a local pull request under the repository's next local number (1, 2, …, allocated
    /// atomically across processes), with the URL `local:OWNER/NAME#N`.
    ///
    /// Throws `pullRequestExists` when an open pull request from the same head is recorded.
    func openLocalPullRequest(_ fields: PullRequestFields, at: Date) async throws -> PullRequestRecord
    /// The pull requests of `repository` (of every repository when `nil`), open ones only when
    /// `openOnly`, by repository and number.
    func pullRequests(repository: String?, openOnly: Bool) async throws -> [PullRequestRecord]
    func pullRequest(repository: String, number: Int) async throws -> PullRequestRecord?
    /// The open pull request from branch `head`, if one is recorded.
    func pullRequest(head: String, repository: String) async throws -> PullRequestRecord?
    /// Moves a recorded pull request to `state` (closed or merged on the forge, say).
    func setPullRequestState(
        repository: String, number: Int, state: PullRequestRecord.State, at: Date)
        async throws
    /// Makes `session` the latest session on a pull request: the one its next follow-up continues.
    func setLatestSession(repository: String, number: Int, session: SessionID, at: Date) async throws
    /// Keeps where the last reading of a pull request's feedback stopped: a JSON text the caller
    /// encodes (the Forges module's `FeedbackCursor`); the ledger refuses text that is not JSON.
    func saveFeedbackCursor(repository: String, number: Int, cursor: String, at: Date) async throws

    // MARK: Feedback

    /// Creates a follow-up session and records every key of `feedbackKeys` (such as
    /// `review-comment:123`) as acted on for pull request `pullRequest` of `new.repository`, in one
    /// transaction; the pull request's latest session becomes the new one.
    ///
    /// Returns `nil`, creating and recording nothing, when any key was already acted on: of two
    /// processes racing on the same feedback exactly one creates the follow-up. `new.follows` and
    /// `new.feedback` must be set; with no keys and no pull request it is `createSession`.
    func createFollowUp(
        _ new: NewSession, pullRequest: Int?, feedbackKeys: [String], at: Date
    ) async throws
        -> SessionRecord?
    /// Records feedback keys as acted on without a session (a comment ignored, with one reply);
    /// returns the keys this call marked, leaving out those acted on before, so whoever gets a
    /// key back is the one process that acts on it.
    func markFeedback(
        repository: String, pullRequest: Int, keys: [String], outcome: FeedbackOutcome, at: Date
    ) async throws -> [String]
    /// Of `keys`, those already acted on for that pull request.
    func actedOnFeedback(repository: String, pullRequest: Int, keys: [String]) async throws -> Set<String>

    // MARK: Local comments

    /// Writes a comment on local issue or pull request `number` of `repository`.
    @discardableResult
    func addLocalComment(
        repository: String, number: Int, author: String, body: String, at: Date
    ) async throws
        -> LocalComment
    /// The comments on `number` with an id above `afterID`, oldest first.
    func localComments(repository: String, number: Int, after afterID: Int64) async throws -> [LocalComment]
}
