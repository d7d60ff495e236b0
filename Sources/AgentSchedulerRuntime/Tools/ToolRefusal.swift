import AgentSchedulerCore

/// Why policy refused a tool call, as opposed to the tool failing at its work.
public enum ToolRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// No tool has this name; `available` lists the names the agent may call.
    case unknownTool(String, available: [String])
    /// A built-in tool the agent's profile does not list.
    case notInAgentTools(BuiltinTool)
    /// A tool that writes, in a session whose permission is read-only.
    case readOnlyPermission(BuiltinTool)
    /// A tool this runtime does not implement (`agent`, `web`).
    case unavailable(BuiltinTool)
    /// A path outside the worktree, or inside `.git`.
    case path(ConfinementError)
    /// An MCP tool that is not marked read-only, in a session whose permission is read-only.
    case readOnlyMCP(String)
    /// An MCP tool of a server that could not be started, is disabled, or is not allowed here.
    case unavailableMCP(String, reason: String)
    /// The live permission check said no: the assigner's role changed, the agent left the team,
    /// or the permission could not be found out (which fails closed).
    case denied(String)

    public var message: String {
        switch self {
        case .unknownTool(let name, let available):
            "there is no tool named '\(name)'; this agent's tools are: "
                + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case .notInAgentTools(let tool):
            "the tool '\(tool.rawValue)' is not in this agent's tools"
        case .readOnlyPermission(let tool):
            "the tool '\(tool.rawValue)' is refused: this session has read-only permission, "
                + "which removes edit and execute"
        case .unavailable(let tool):
            "the tool '\(tool.rawValue)' is not available in this runtime"
        case .path(let error):
            error.message
        case .readOnlyMCP(let name):
            "the tool '\(name)' is refused: this session has read-only permission, and the MCP server does "
                + "not mark the tool read-only"
        case .unavailableMCP(_, let reason):
            reason
        case .denied(let reason):
            reason
        }
    }

    public var description: String { message }
}
