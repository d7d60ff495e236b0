import Foundation

/// A comment, review or review comment held by the fake GitHub server.
public struct FakeGitHubComment: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A comment in an issue's or pull request's conversation.
        case issueComment
        /// A submitted review (`state` such as `COMMENTED`, `APPROVED`, `CHANGES_REQUESTED`, `PENDING`).
        case review(state: String)
        /// A comment on a diff line, part of review `review` (if any).
        case reviewComment(review: Int64?, path: String, line: Int?)
    }

    public var kind: Kind
    public var id: Int64
    /// The issue or pull request number it is on.
    public var number: Int
    public var author: String
    public var body: String
    public var createdAt: Date
}
