/// What a tool call gives back to the model, and what the loop records of it.
public struct ToolResult: Sendable, Hashable {
    /// The text the model sees.
    public var output: String
    /// The call failed; `output` says why and what to do instead.
    public var isError: Bool
    /// Output was cut to the limit; `output` says how much and how to ask for less.
    public var truncated: Bool
    /// Set when the call was refused by policy (a tool outside the agent's set, a path outside the
    /// worktree): the loop records these as events. A refusal is always an error.
    public var refusal: ToolRefusal?
    /// What an MCP call did (server, tool, duration, outcome); `nil` for built-in tools.
    public var mcpCall: MCPCallRecord?

    public init(
        output: String, isError: Bool = false, truncated: Bool = false, refusal: ToolRefusal? = nil,
        mcpCall: MCPCallRecord? = nil
    ) {
        self.output = output
        self.isError = isError || refusal != nil
        self.truncated = truncated
        self.refusal = refusal
        self.mcpCall = mcpCall
    }

    /// Whether policy refused the call.
    public var refused: Bool { refusal != nil }

    public static func success(_ output: String, truncated: Bool = false) -> ToolResult {
        ToolResult(output: output, truncated: truncated)
    }

    public static func failure(_ message: String) -> ToolResult {
        ToolResult(output: message, isError: true)
    }

    public static func refused(_ refusal: ToolRefusal) -> ToolResult {
        if case .denied(let reason) = refusal {
            return ToolResult(output: "Refused: \(reason).", isError: true, refusal: refusal)
        }
        return ToolResult(output: refusal.message, isError: true, refusal: refusal)
    }
}
