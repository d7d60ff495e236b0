/// A tool of an MCP server: `server/tool`, `server/*` or Claude Code's `mcp__server__tool`.
public struct MCPToolReference: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var server: String
    /// `nil` means every tool of the server.
    public var tool: String?

    public init(server: String, tool: String?) {
        self.server = server
        self.tool = tool
    }

    /// `server/tool`, or `server/*` for the whole server.
    public var description: String { "\(server)/\(tool ?? "*")" }

    /// Whether this reference covers `other` (a whole server covers each of its tools).
    public func covers(_ other: MCPToolReference) -> Bool {
        server == other.server && (tool == nil || tool == other.tool)
    }

    public static func < (lhs: MCPToolReference, rhs: MCPToolReference) -> Bool {
        lhs.description < rhs.description
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Reads `server/tool` or `server/*` (as `description` writes them).
    public init(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        self.init(server: parts.first ?? text, tool: parts.count == 2 && parts[1] != "*" ? parts[1] : nil)
    }
}
