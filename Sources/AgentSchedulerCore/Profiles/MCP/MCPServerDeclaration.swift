/// One MCP server a profile declares under `mcp-servers` (Copilot) or `mcpServers` (Claude Code).
///
/// Values that may hold secrets (`env`, `headers`, the URL) are templates: `${NAME}` is filled from
/// agentsched's environment when the server is started, and only into that server. The filled
/// values are never stored, logged or printed.
public struct MCPServerDeclaration: Sendable, Hashable, Codable {
    /// The key under `mcp-servers`: what `server/tool` and `server__tool` name.
    public var name: String
    public var transport: MCPTransportDeclaration
    /// Copilot's `tools: [...]`: the server's tools this profile may use; `nil` (or `["*"]` as
    /// written) for all of them. It narrows what the profile's `tools:` allows, never widens it.
    public var tools: [String]?
    /// Tools a `read-only` session may call although the server does not annotate them
    /// `readOnlyHint: true` (`read-only-tools: [...]`).
    public var readOnlyTools: [String]
    /// How long one `tools/call` may take before it is cancelled; `nil` for the default, 60 s.
    public var timeout: HumanDuration?
    /// Where the declaration was read, for diagnostics at run time.
    public var location: SourceLocation?

    public init(
        name: String, transport: MCPTransportDeclaration, tools: [String]? = nil, readOnlyTools: [String] = [],
        timeout: HumanDuration? = nil, location: SourceLocation? = nil
    ) {
        self.name = name
        self.transport = transport
        self.tools = tools
        self.readOnlyTools = readOnlyTools
        self.timeout = timeout
        self.location = location
    }

    /// Whether the server's own `tools:` list lets the profile use `tool`.
    public func offers(_ tool: String) -> Bool {
        guard let tools else { return true }
        return tools.contains("*") || tools.contains(tool)
    }

    /// Every variable the declaration's templates reference, sorted.
    public var variables: [String] { transport.variables }
}

/// How agentsched reaches an MCP server.
public enum MCPTransportDeclaration: Sendable, Hashable, Codable {
    /// A local command, spawned per session in the session's worktree (`type: local` or `stdio`,
    /// or just `command:`). `command: agentsched` runs this agentsched binary.
    case stdio(command: String, arguments: [String], environment: [String: EnvironmentTemplate])
    /// Streamable HTTP (`type: http`, or `sse` as Copilot and Claude Code write it): requests are
    /// POSTed to `url`, answers come as JSON or Server-Sent Events.
    case http(url: EnvironmentTemplate, headers: [String: EnvironmentTemplate])

    /// Every variable the templates reference, sorted.
    public var variables: [String] {
        let templates: [EnvironmentTemplate] =
            switch self {
            case .stdio(_, _, let environment): Array(environment.values)
            case .http(let url, let headers): [url] + Array(headers.values)
            }
        return Array(Set(templates.flatMap(\.variables))).sorted()
    }
}
