import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

/// `LocalForge`'s pull requests and comments in the ledger: numbers allocated per repository across
/// processes, URLs `local:OWNER/NAME#N`.
public struct LedgerLocalRecords: LocalForgeRecords {
    public var ledger: any Ledger
    public var clock: any WallClock

    public init(ledger: any Ledger, clock: any WallClock = SystemWallClock()) {
        self.ledger = ledger
        self.clock = clock
    }

    public func openPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        do {
            return try await ledger.openLocalPullRequest(
                PullRequestFields(
                    repository: request.repository, head: request.head, base: request.base, title: request.title,
                    body: request.body, draft: request.draft),
                at: clock.now()
            ).pullRequest
        } catch let error as LedgerError {
            guard case .pullRequestExists = error else { throw error }
            throw ForgeError.conflict(error.description)
        }
    }

    public func pullRequest(head: String, in repository: String) async throws -> PullRequest? {
        try await ledger.pullRequest(head: head, repository: repository)?.pullRequest
    }

    public func comment(on number: Int, in repository: String, author: String, body: String) async throws {
        try await ledger.addLocalComment(
            repository: repository, number: number, author: author, body: body, at: clock.now())
    }

    public func comments(on number: Int, in repository: String, after id: Int64) async throws -> [FeedbackComment] {
        try await ledger.localComments(repository: repository, number: number, after: id).map { comment in
            FeedbackComment(
                kind: .issueComment, id: comment.id, author: comment.author, body: comment.body, createdAt: comment.at)
        }
    }
}
