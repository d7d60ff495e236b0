import AgentSchedulerLedger

/// What a verified delivery did: the body of a 2xx answer,
/// `{"status": "assigned", "message": "…", "sessions": [12]}`.
public struct WebhookOutcome: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// An issue was queued as a session (as `assign --route` would).
        case assigned
        /// A mention became a follow-up session (as `sync` would).
        case followedUp = "followed-up"
        /// Nothing to do: another kind or action, another repository, no mention, already acted on…
        case ignored
        /// The answer to `ping`.
        case pong
    }

    public var status: Status
    /// One line saying what happened, or why nothing did.
    public var message: String
    /// The sessions queued (or, when ignored as already done, the one that already does it).
    public var sessions: [SessionID]

    public init(status: Status, message: String, sessions: [SessionID] = []) {
        self.status = status
        self.message = message
        self.sessions = sessions
    }
}
