import AgentSchedulerCore
import Foundation

/// The forge of repositories that live on this machine (DESIGN §8): issues from an issues file,
/// roles from the organisation's policy, the repository's own checked-out branch as its default,
/// and pull requests and their comments in agentsched's ledger (through ``LocalForgeRecords``).
///
/// It gives the offline flow the shape of GitHub's: a completed session opens a (local) pull
/// request, comments on it are feedback, and its number and `local:OWNER/NAME#N` URL are outputs.
public struct LocalForge: Forge {
    /// The login agentsched writes local comments as.
    public static let login = "agentsched"

    /// The issues an issues file lists (none when no file was given).
    public var issueList: IssueList
    /// The repositories it serves, by `OWNER/NAME` (compared without case).
    public var repositories: [String: ForgeRepository]
    /// A user's role in a repository, from the policy; `nil` for none.
    public var roles: @Sendable (_ user: String, _ repository: String) -> RepositoryRole?
    public var records: any LocalForgeRecords

    public init(
        issueList: IssueList = IssueList(issues: []), repositories: [String: ForgeRepository],
        roles: @escaping @Sendable (_ user: String, _ repository: String) -> RepositoryRole?,
        records: any LocalForgeRecords
    ) {
        self.issueList = issueList
        self.repositories = repositories
        self.roles = roles
        self.records = records
    }

    public func currentUser() async throws -> String { Self.login }

    /// The file's issues with the query's label, in file order. A file records neither state nor
    /// assignee, so every issue counts as open and unassigned.
    public func issues(in repository: String, matching query: IssueQuery) async throws -> [Issue] {
        try checkFile(names: repository)
        return issueList.issues(matching: query)
    }

    public func issue(_ number: Int, in repository: String) async throws -> Issue {
        try checkFile(names: repository)
        guard let issue = issueList.issues.first(where: { $0.number == number }) else {
            throw ForgeError.notFound("issue #\(number) is not in the issues file of \(repository)")
        }
        return issue
    }

    public func permission(of user: String, in repository: String) async throws -> RepositoryRole? {
        roles(user, repository)
    }

    public func repository(_ repository: String) async throws -> ForgeRepository {
        guard
            let found = repositories[repository]
                ?? repositories.first(where: { $0.key.lowercased() == repository.lowercased() })?.value
        else { throw ForgeError.notFound("\(repository) is not a local repository in agentsched.yaml") }
        return found
    }

    public func openPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        try await records.openPullRequest(request)
    }

    public func pullRequest(head: String, in repository: String) async throws -> PullRequest? {
        try await records.pullRequest(head: head, in: repository)
    }

    public func comment(on number: Int, in repository: String, body: String) async throws {
        try await records.comment(on: number, in: repository, author: Self.login, body: body)
    }

    /// The conversation comments newer than the cursor (local pull requests have no reviews).
    public func feedback(
        on number: Int, in repository: String, after cursor: FeedbackCursor?
    ) async throws -> FeedbackPage {
        var cursor = cursor ?? FeedbackCursor()
        let kind = FeedbackComment.Kind.issueComment.rawValue
        let comments = try await records.comments(on: number, in: repository, after: cursor.seen[kind] ?? 0)
        if let last = comments.last { cursor.seen[kind] = last.id }
        return FeedbackPage(comments: comments, cursor: cursor)
    }

    /// Throws when the issues file names another repository.
    private func checkFile(names repository: String) throws {
        if let other = issueList.repository, other.lowercased() != repository.lowercased() {
            throw ForgeError.notFound("the issues file lists issues of \(other), not \(repository)")
        }
    }
}
