import Foundation

/// A pull request held by the fake GitHub server: seeded by a test or opened through the API.
public struct FakeGitHubPullRequest: Sendable, Hashable {
    public var number: Int
    public var title: String
    public var body: String
    public var head: String
    public var base: String
    public var draft: Bool
    /// The login that opened it.
    public var author: String
    public var state: String
    public var requestedReviewers: [String]
    public var assignees: [String]
    public var labels: [String]
    public var createdAt: Date
}
