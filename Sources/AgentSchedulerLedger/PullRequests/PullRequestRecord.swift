import Foundation

/// A pull request agentsched opened or recorded, as the ledger keeps it: a local one (numbered by
/// the ledger, per repository) or a forge's (numbered by the forge).
///
/// `feedbackCursor` is opaque to the ledger: the Forges module's `FeedbackCursor`, encoded as JSON
/// by the caller; the ledger only checks that it is valid JSON.
public struct PullRequestRecord: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case open, closed, merged
    }

    /// `OWNER/NAME`.
    public var repository: String
    public var number: Int
    public var url: String
    /// The branch it merges.
    public var head: String
    /// The branch it merges into.
    public var base: String
    public var title: String
    public var body: String
    public var state: State
    public var draft: Bool
    /// Whether the ledger numbered it (`openLocalPullRequest`) rather than a forge.
    public var isLocal: Bool
    /// The session whose completion opened it.
    public var openedBy: SessionID?
    /// The newest session on its branch: the one a follow-up of this pull request continues.
    public var latestSession: SessionID?
    public var createdAt: Date
    public var updatedAt: Date
    /// Where the last reading of its feedback stopped (JSON), `nil` before the first.
    public var feedbackCursor: String?

    public init(
        repository: String, number: Int, url: String, head: String, base: String, title: String, body: String,
        state: State, draft: Bool, isLocal: Bool, openedBy: SessionID?, latestSession: SessionID?, createdAt: Date,
        updatedAt: Date, feedbackCursor: String?
    ) {
        self.repository = repository
        self.number = number
        self.url = url
        self.head = head
        self.base = base
        self.title = title
        self.body = body
        self.state = state
        self.draft = draft
        self.isLocal = isLocal
        self.openedBy = openedBy
        self.latestSession = latestSession
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.feedbackCursor = feedbackCursor
    }

    /// The link a session records as its output.
    public var link: PullRequestLink { PullRequestLink(number: number, url: url) }
}
