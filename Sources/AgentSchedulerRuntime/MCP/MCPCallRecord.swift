/// What one MCP tool call did, for the session's events and the run's summary.
public struct MCPCallRecord: Sendable, Hashable {
    /// How the call ended.
    public enum Outcome: String, Sendable, Hashable {
        /// The server answered with a result.
        case ok
        /// The server answered with a result marked `isError`.
        case errorResult = "error-result"
        /// No answer within the timeout; cancelled at the server.
        case timedOut = "timed-out"
        /// The server could not be started, exited, broke the protocol, or answered a JSON-RPC error.
        case failed
        /// The server is disabled for the session after failing again and again.
        case disabled
        /// The session was cancelled during the call.
        case cancelled
    }

    public var server: String
    public var tool: String
    public var duration: Duration
    public var outcome: Outcome

    public init(server: String, tool: String, duration: Duration, outcome: Outcome) {
        self.server = server
        self.tool = tool
        self.duration = duration
        self.outcome = outcome
    }

    /// The duration in whole milliseconds.
    public var milliseconds: Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
