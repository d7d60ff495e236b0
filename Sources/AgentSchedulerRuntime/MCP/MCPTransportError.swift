/// Why the connection to an MCP server ended or a message could not pass.
public enum MCPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's command could not be started.
    case spawnFailed(String)
    /// The server closed its output or exited; `detail` has its exit and the end of its standard
    /// error, redacted.
    case serverExited(String)
    /// The server wrote a line that is not a JSON-RPC message (the start of it is kept).
    case notJSONRPC(String)
    /// A message longer than the limit.
    case messageTooLong(limit: Int)
    /// The HTTP server answered with an error status or a body that is not MCP.
    case http(String)
    /// The transport was closed by this side.
    case closed

    public var description: String {
        switch self {
        case .spawnFailed(let reason): "the server could not be started: \(reason)"
        case .serverExited(let detail): "the server exited: \(detail)"
        case .notJSONRPC(let start): "the server wrote something that is not JSON-RPC: \(start)"
        case .messageTooLong(let limit): "the server sent a message longer than \(limit) bytes"
        case .http(let detail): detail
        case .closed: "the connection was closed"
        }
    }
}
