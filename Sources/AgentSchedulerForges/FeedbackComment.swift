import Foundation

/// One piece of review feedback on a pull request: a review's body, a review comment on a line, or
/// a comment in the pull request's conversation.
public struct FeedbackComment: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A review's own text (`GET /pulls/N/reviews`).
        case review
        /// A comment on a line of the diff (`GET /pulls/N/comments`), maybe part of a review.
        case reviewComment = "review-comment"
        /// A comment in the conversation (`GET /issues/N/comments`).
        case issueComment = "issue-comment"
    }

    public var kind: Kind
    /// The forge's id of the comment, unique within its kind.
    public var id: Int64
    /// The review it belongs to: its own id for a review, the review's for a review comment, `nil`
    /// for a conversation comment. Comments of one review become one follow-up.
    public var review: Int64?
    /// The author's login.
    public var author: String
    public var body: String
    public var createdAt: Date
    /// The diff's file and line a review comment is about.
    public var path: String?
    public var line: Int?

    public init(
        kind: Kind, id: Int64, review: Int64? = nil, author: String, body: String, createdAt: Date,
        path: String? = nil, line: Int? = nil
    ) {
        self.kind = kind
        self.id = id
        self.review = review
        self.author = author
        self.body = body
        self.createdAt = createdAt
        self.path = path
        self.line = line
    }

    /// A key unique across kinds, such as `review-comment:123`: what the ledger records as acted on.
    public var key: String { "\(kind.rawValue):\(id)" }
}
