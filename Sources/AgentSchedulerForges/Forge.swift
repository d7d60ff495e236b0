import AgentSchedulerCore
import Foundation

/// Where a repository's issues, permissions and pull requests live (DESIGN §8).
///
/// The scheduler talks to a forge only through this protocol: `LocalForge` serves issues files,
/// local repositories and pull requests recorded in the ledger; `GitHubForge` speaks GitHub's REST
/// API. Repositories are named `OWNER/NAME`.
///
/// Every method either answers or throws a `ForgeError`; callers that check permissions treat any
/// error as a denial (DESIGN §5.9: permission checks fail closed).
public protocol Forge: Sendable {
    /// The login the forge knows this process by; comments written under it are agentsched's own.
    func currentUser() async throws -> String

    /// The issues of `repository` that match `query`, in the forge's order; pull requests are left out.
    func issues(in repository: String, matching query: IssueQuery) async throws -> [Issue]
    /// One issue; throws `ForgeError.notFound` when it does not exist or is a pull request.
    func issue(_ number: Int, in repository: String) async throws -> Issue

    /// `user`'s role in `repository` as the forge grants it, or `nil` for none (GitHub's `none`, or
    /// a user the forge does not know).
    func permission(of user: String, in repository: String) async throws -> RepositoryRole?

    /// The repository itself: its default branch and where to clone it from.
    func repository(_ repository: String) async throws -> ForgeRepository

    /// Opens a pull request; throws `ForgeError.conflict` when one from `head` is already open.
    func openPullRequest(_ request: NewPullRequest) async throws -> PullRequest
    /// The open pull request from branch `head`, if there is one.
    func pullRequest(head: String, in repository: String) async throws -> PullRequest?
    /// Writes a comment on an issue or a pull request (they share one thread of comments).
    func comment(on number: Int, in repository: String, body: String) async throws
    /// Reviews, review comments and conversation comments on pull request `number` newer than
    /// `cursor` (everything when it is `nil`), oldest first, with the cursor to pass next time.
    func feedback(on number: Int, in repository: String, after cursor: FeedbackCursor?) async throws -> FeedbackPage
}
