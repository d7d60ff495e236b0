import AgentSchedulerLedger

/// What one `sync` pass did.
public struct SyncReport: Sendable, Hashable, Codable {
    /// A pull request whose feedback could not be read, and why.
    public struct Failure: Sendable, Hashable, Codable {
        public var repository: String
        public var number: Int
        public var reason: String
    }

    /// Open pull requests looked at.
    public var pullRequests = 0
    /// Follow-up sessions queued, by id.
    public var followUps: [SessionID] = []
    /// Comments from users below write that got a reply instead.
    public var refused = 0
    /// Mentions already acted on by an earlier pass or another process.
    public var alreadyActedOn = 0
    /// Pull requests whose new mentions wait because a session is still at work on their branch.
    public var waiting = 0
    public var failures: [Failure] = []

    public init() {}
}
