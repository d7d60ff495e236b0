/// What `recordPullRequest` and `openLocalPullRequest` write about a pull request; the number and
/// URL come from the forge, or from the ledger for a local one.
public struct PullRequestFields: Sendable, Hashable {
    /// `OWNER/NAME`.
    public var repository: String
    public var head: String
    public var base: String
    public var title: String
    public var body: String
    public var state: PullRequestRecord.State
    public var draft: Bool
    /// The session it belongs to: recorded as the one that opened it (once) and as its latest.
    public var session: SessionID?

    public init(
        repository: String, head: String, base: String, title: String, body: String,
        state: PullRequestRecord.State = .open, draft: Bool = true, session: SessionID? = nil
    ) {
        self.repository = repository
        self.head = head
        self.base = base
        self.title = title
        self.body = body
        self.state = state
        self.draft = draft
        self.session = session
    }
}
