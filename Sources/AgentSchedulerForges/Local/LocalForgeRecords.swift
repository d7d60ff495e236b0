import Foundation

/// Where `LocalForge` keeps what a forge would: pull requests numbered per repository and the
/// comments on them. agentsched keeps them in its ledger (`LedgerLocalRecords`), so several
/// processes share them and a pull request's number is allocated once.
public protocol LocalForgeRecords: Sendable {
    /// Records a new pull request under the repository's next number; throws `ForgeError.conflict`
    /// when one from `request.head` is open already.
    func openPullRequest(_ request: NewPullRequest) async throws -> PullRequest
    /// The open pull request from branch `head`, if there is one.
    func pullRequest(head: String, in repository: String) async throws -> PullRequest?
    /// Writes a comment by `author` on issue or pull request `number`.
    func comment(on number: Int, in repository: String, author: String, body: String) async throws
    /// The comments on `number` with an id above `id`, oldest first.
    func comments(on number: Int, in repository: String, after id: Int64) async throws -> [FeedbackComment]
}
