import Foundation

/// A delivery's payload, decoded by its `X-GitHub-Event` name: the five kinds agentsched knows.
///
/// ``decode(_:body:)`` returns `nil` for any other kind (answered 202, ignored) and throws
/// ``WebhookFailure/malformed(_:)`` for a known kind whose payload is not what GitHub sends.
/// Which actions are acted on is ``isActedOn``: `issues` `labeled` and `assigned`,
/// `issue_comment` and `pull_request_review_comment` `created`, `pull_request_review` `submitted`,
/// and every `ping`.
public enum WebhookEvent: Sendable, Hashable {
    case ping(WebhookPayload.Ping)
    case issues(WebhookPayload.Issues)
    case issueComment(WebhookPayload.IssueComment)
    case pullRequestReview(WebhookPayload.PullRequestReview)
    case pullRequestReviewComment(WebhookPayload.PullRequestReviewComment)

    /// GitHub's name of the kind, as in `X-GitHub-Event`.
    public var name: String {
        switch self {
        case .ping: "ping"
        case .issues: "issues"
        case .issueComment: "issue_comment"
        case .pullRequestReview: "pull_request_review"
        case .pullRequestReviewComment: "pull_request_review_comment"
        }
    }

    /// The payload's `action`; `nil` for `ping`, which has none.
    public var action: String? {
        switch self {
        case .ping: nil
        case .issues(let payload): payload.action
        case .issueComment(let payload): payload.action
        case .pullRequestReview(let payload): payload.action
        case .pullRequestReviewComment(let payload): payload.action
        }
    }

    /// Whether agentsched acts on this action of this kind; any other is answered 202, ignored.
    public var isActedOn: Bool {
        switch self {
        case .ping: true
        case .issues(let payload): payload.action == "labeled" || payload.action == "assigned"
        case .issueComment(let payload): payload.action == "created"
        case .pullRequestReview(let payload): payload.action == "submitted"
        case .pullRequestReviewComment(let payload): payload.action == "created"
        }
    }

    /// The repository (`OWNER/NAME`) it happened in; `nil` for a ping of an organisation's hook.
    public var repository: String? {
        switch self {
        case .ping(let payload): payload.repository?.fullName
        case .issues(let payload): payload.repository.fullName
        case .issueComment(let payload): payload.repository.fullName
        case .pullRequestReview(let payload): payload.repository.fullName
        case .pullRequestReviewComment(let payload): payload.repository.fullName
        }
    }

    /// When the signed payload says it happened: the comment's `created_at`, the review's
    /// `submitted_at`, the issue's `updated_at`; `nil` for `ping` and for a review never submitted.
    /// A delivery older than the receiver's window is refused as stale.
    public var occurredAt: Date? {
        switch self {
        case .ping: nil
        case .issues(let payload): payload.issue.updatedAt
        case .issueComment(let payload): payload.comment.createdAt
        case .pullRequestReview(let payload): payload.review.submittedAt
        case .pullRequestReviewComment(let payload): payload.comment.createdAt
        }
    }
}
