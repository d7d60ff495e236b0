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
        }
    }

    public var description: String { message }
}
