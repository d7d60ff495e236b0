/// Why an MCP request did not get an answer.
public enum MCPCallFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No answer within the timeout; the request was cancelled at the server.
    case timedOut(Duration)
    /// The connection ended or could not be made.
    case transport(MCPTransportError)
    /// The server answered with a JSON-RPC error.
    case server(String)

    public var description: String {
        switch self {
        case .timedOut(let limit): "no answer within \(limit.components.seconds) s; the request was cancelled"
        case .transport(let error): error.description
        case .server(let message): "the server answered with an error: \(message)"
        }
    }

    /// Whether the failure says the server is in trouble (as opposed to refusing one request).
    public var countsAgainstServer: Bool {
        if case .server = self { return false }
        return true
    }
}
