/// The tools an agent may use: canonical built-in tools and MCP tools.
public struct ToolSet: Sendable, Hashable, Codable {
    public var builtins: Set<BuiltinTool>
    /// MCP tools named one by one, or whole servers.
    public var mcp: Set<MCPToolReference>
    /// Every MCP tool of every configured server (an absent `tools:` key, or `*`).
    public var allMCP: Bool

    public init(builtins: Set<BuiltinTool> = [], mcp: Set<MCPToolReference> = [], allMCP: Bool = false) {
        self.builtins = builtins
        self.mcp = mcp
        self.allMCP = allMCP
    }

    /// Every tool there is: what an absent `tools:` key means.
    public static let all = ToolSet(builtins: Set(BuiltinTool.allCases), allMCP: true)
    public static let none = ToolSet()

    public var isEmpty: Bool { builtins.isEmpty && mcp.isEmpty && !allMCP }

    public func contains(_ tool: BuiltinTool) -> Bool { builtins.contains(tool) }

    public func union(_ other: ToolSet) -> ToolSet {
        ToolSet(builtins: builtins.union(other.builtins), mcp: mcp.union(other.mcp), allMCP: allMCP || other.allMCP)
    }

    /// This set less `other`: what `disallowed-tools` does before `tools` applies.
    public func subtracting(_ other: ToolSet) -> ToolSet {
        var result = ToolSet(builtins: builtins.subtracting(other.builtins), allMCP: allMCP && !other.allMCP)
        if !other.allMCP {
            result.mcp = mcp.filter { reference in !other.mcp.contains { $0.covers(reference) } }
        }
        return result
    }

    /// The set a permission allows: `read-only` removes the tools that write.
    public func clipped(to permission: AgentPermission) -> ToolSet {
        guard permission == .readOnly else { return self }
        var copy = self
        copy.builtins = builtins.filter { !$0.writes }
        return copy
    }

    /// The tools as canonical names, in a stable order: `read`, `search`, …, then MCP tools, then `*/*`.
    public var names: [String] {
        builtins.sorted().map(\.rawValue) + mcp.sorted().map(\.description) + (allMCP ? ["*/*"] : [])
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
            } else {
                let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
                mcp.insert(
                    MCPToolReference(server: parts[0], tool: parts.count == 2 && parts[1] != "*" ? parts[1] : nil))
            }
        }
    }
}
