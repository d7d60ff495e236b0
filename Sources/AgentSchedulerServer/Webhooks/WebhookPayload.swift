import Foundation

/// The parts of GitHub's webhook payloads that agentsched acts on, under GitHub's own field names
/// (`repository.full_name`, `comment.created_at`, …); every other field is ignored.
///
/// A field listed here without `?` is one GitHub always sends for that event: a payload without it
/// is malformed, and its delivery is answered 400.
public enum WebhookPayload {
    /// `repository`: only its `OWNER/NAME`.
    public struct Repository: Sendable, Hashable, Decodable {
        public var fullName: String

        enum CodingKeys: String, CodingKey { case fullName = "full_name" }
    }

    /// `sender`, `comment.user`, `review.user`, `assignee`: only the login.
    public struct User: Sendable, Hashable, Decodable {
        public var login: String
    }

    /// `label` and `issue.labels[]`: only the name.
    public struct Label: Sendable, Hashable, Decodable {
        public var name: String
    }

    /// `issue`: an issue, or a pull request seen as an issue (then `pull_request` is present).
    public struct Issue: Sendable, Hashable, Decodable {
        public var number: Int
        public var title: String
        /// GitHub sends `null` for an issue without a description.
        public var body: String?
        public var labels: [Label]
        /// Present (an object of links) only when the issue is a pull request.
        public var pullRequest: PullRequestLink?
        public var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case number, title, body, labels
            case pullRequest = "pull_request"
            case updatedAt = "updated_at"
        }

        /// Whether this "issue" is a pull request's conversation.
        public var isPullRequest: Bool { pullRequest != nil }
    }

    /// `issue.pull_request`: its presence is what matters.
    public struct PullRequestLink: Sendable, Hashable, Decodable {
        public var url: String?
    }

    /// `pull_request` of the review events: only its number.
    public struct PullRequest: Sendable, Hashable, Decodable {
        public var number: Int
    }

    /// `comment` of `issue_comment` and `pull_request_review_comment`.
    public struct Comment: Sendable, Hashable, Decodable {
        public var id: Int64
        public var body: String
        public var user: User
        public var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, body, user
            case createdAt = "created_at"
        }
    }

    /// `review` of `pull_request_review`.
    public struct Review: Sendable, Hashable, Decodable {
        public var id: Int64
        /// `null` for a review without a summary.
        public var body: String?
        public var user: User
        /// `null` while the review is pending; always set when it is `submitted`.
        public var submittedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, body, user
            case submittedAt = "submitted_at"
        }
    }

    /// `X-GitHub-Event: ping`, sent when the hook is created.
    public struct Ping: Sendable, Hashable, Decodable {
        public var zen: String?
        public var repository: Repository?
        public var sender: User?
    }

    /// `X-GitHub-Event: issues`.
    public struct Issues: Sendable, Hashable, Decodable {
        public var action: String
        public var issue: Issue
        public var repository: Repository
        public var sender: User
        /// The label added or removed (`labeled`, `unlabeled`).
        public var label: Label?
        /// The user assigned or unassigned (`assigned`, `unassigned`).
        public var assignee: User?
    }

    /// `X-GitHub-Event: issue_comment`.
    public struct IssueComment: Sendable, Hashable, Decodable {
        public var action: String
        public var issue: Issue
        public var comment: Comment
        public var repository: Repository
        public var sender: User
    }

    /// `X-GitHub-Event: pull_request_review`.
    public struct PullRequestReview: Sendable, Hashable, Decodable {
        public var action: String
        public var review: Review
        public var pullRequest: PullRequest
        public var repository: Repository
        public var sender: User

        enum CodingKeys: String, CodingKey {
            case action, review, repository, sender
            case pullRequest = "pull_request"
        }
    }

    /// `X-GitHub-Event: pull_request_review_comment`.
    public struct PullRequestReviewComment: Sendable, Hashable, Decodable {
        public var action: String
        public var comment: Comment
        public var pullRequest: PullRequest
        public var repository: Repository
        public var sender: User

        enum CodingKeys: String, CodingKey {
            case action, comment, repository, sender
            case pullRequest = "pull_request"
        }
    }
}
