/// The tools an agent may use: canonical built-in tools and MCP tools.
///
/// MCP tools are allowed one by one, by whole server, or all at once, less the ones excluded by
/// `disallowed-tools` (so "every GitHub tool but `delete_repo`" is expressible).
public struct ToolSet: Sendable, Hashable, Codable {
    public var builtins: Set<BuiltinTool>
    /// MCP tools named one by one, or whole servers.
    public var mcp: Set<MCPToolReference>
    /// Every MCP tool of every configured server (an absent `tools:` key, or `*`).
    public var allMCP: Bool
    /// MCP tools or servers taken away from what `mcp` and `allMCP` allow.
    public var excludedMCP: Set<MCPToolReference>

    public init(
        builtins: Set<BuiltinTool> = [],
        mcp: Set<MCPToolReference> = [],
        allMCP: Bool = false,
        excludedMCP: Set<MCPToolReference> = []
    ) {
        self.builtins = builtins
        self.mcp = mcp
        self.allMCP = allMCP
        self.excludedMCP = excludedMCP
    }

    /// Every tool there is: what an absent `tools:` key means.
    public static let all = ToolSet(builtins: Set(BuiltinTool.allCases), allMCP: true)
    public static let none = ToolSet()

    public var isEmpty: Bool { builtins.isEmpty && mcp.isEmpty && !allMCP }

    public func contains(_ tool: BuiltinTool) -> Bool { builtins.contains(tool) }

    /// Whether the MCP tool `reference` (a `server/tool`) may be called.
    public func allows(_ reference: MCPToolReference) -> Bool {
        (allMCP || mcp.contains { $0.covers(reference) }) && !excludedMCP.contains { $0.covers(reference) }
    }

    public func union(_ other: ToolSet) -> ToolSet {
        ToolSet(
            builtins: builtins.union(other.builtins),
            mcp: mcp.union(other.mcp),
            allMCP: allMCP || other.allMCP,
            excludedMCP: excludedMCP.filter { !other.allows($0) }.union(other.excludedMCP.filter { !allows($0) }))
    }

    /// This set less `other`: what `disallowed-tools` does before `tools` applies.
    public func subtracting(_ other: ToolSet) -> ToolSet {
        var result = ToolSet(builtins: builtins.subtracting(other.builtins))
        guard !other.allMCP else { return result }
        result.allMCP = allMCP
        result.mcp = mcp.filter { reference in !other.mcp.contains { $0.covers(reference) } }
        let remaining = result
        result.excludedMCP = excludedMCP.union(
            other.mcp.filter { removed in remaining.allMCP || remaining.mcp.contains { $0.covers(removed) } })
        return result
    }

    /// The set a permission allows: `read-only` removes the tools that write.
    public func clipped(to permission: AgentPermission) -> ToolSet {
        guard permission == .readOnly else { return self }
        var copy = self
        copy.builtins = builtins.filter { !$0.writes }
        return copy
    }

    /// The tools as canonical names, in a stable order: `read`, `search`, …, then MCP tools, `*/*`
    /// for every MCP tool, and `!server/tool` for each exclusion.
    public var names: [String] {
        builtins.sorted().map(\.rawValue) + mcp.sorted().map(\.description) + (allMCP ? ["*/*"] : [])
            + excludedMCP.sorted().map { "!\($0)" }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(names)
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        for name in try decoder.singleValueContainer().decode([String].self) {
            if name == "*/*" {
                allMCP = true
            } else if let builtin = BuiltinTool(rawValue: name) {
                builtins.insert(builtin)
            } else if name.hasPrefix("!") {
                excludedMCP.insert(MCPToolReference(parsing: String(name.dropFirst())))
            } else {
                mcp.insert(MCPToolReference(parsing: name))
            }
        }
    }
}
