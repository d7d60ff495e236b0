import Foundation

/// A pull request, as a forge reports it.
public struct PullRequest: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case open, closed, merged
    }

    /// `OWNER/NAME`.
    public var repository: String
    public var number: Int
    /// Where a person opens it: GitHub's `html_url`, or `local:OWNER/NAME#N` for a local one.
    public var url: String
    /// The branch it merges.
    public var head: String
    /// The branch it merges into.
    public var base: String
    public var title: String
    public var state: State
    public var draft: Bool

    public init(
        repository: String, number: Int, url: String, head: String, base: String, title: String,
        state: State = .open, draft: Bool = true
    ) {
        self.repository = repository
        self.number = number
        self.url = url
        self.head = head
        self.base = base
        self.title = title
        self.state = state
        self.draft = draft
    }
}

/// What `Forge.openPullRequest` needs.
public struct NewPullRequest: Sendable, Hashable {
    /// `OWNER/NAME`.
    public var repository: String
    public var head: String
    public var base: String
    public var title: String
    public var body: String
    public var draft: Bool
    /// Logins asked to review it.
    public var reviewers: [String]
    /// Logins it is assigned to.
    public var assignees: [String]

    public init(
        repository: String, head: String, base: String, title: String, body: String, draft: Bool = true,
        reviewers: [String] = [], assignees: [String] = []
    ) {
        self.repository = repository
        self.head = head
        self.base = base
        self.title = title
        self.body = body
        self.draft = draft
        self.reviewers = reviewers
        self.assignees = assignees
    }
}
