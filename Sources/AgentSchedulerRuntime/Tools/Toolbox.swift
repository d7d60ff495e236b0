import AgentSchedulerCore

/// The tools one session may call: the profile's tool set clipped by the session's permission,
/// and the one place calls are checked and run.
///
/// Only built-in tools are handled here; MCP tools (`ToolSet.mcp`, `allMCP`) are not, and are
/// neither listed nor callable. `agent` and `web` have no implementation in this runtime: they are
/// not listed, and calling them is refused as unavailable.
public struct Toolbox: Sendable {
    /// The profile's tool set, as given.
    public let requested: ToolSet
    /// The session's permission.
    public let permission: AgentPermission
    /// The tool set the session may use: `requested` clipped to `permission`.
    public let effective: ToolSet
    private let implementations: [BuiltinTool: any AgentTool]

    /// The tools this runtime implements.
    public static var builtinTools: [any AgentTool] {
        [ReadTool(), SearchTool(), EditTool(), ExecuteTool(), TodoTool()]
    }

    /// A toolbox for a profile's `tools` under `permission`; `implementations` replaces the
    /// built-in tools (tests).
    public init(tools: ToolSet, permission: AgentPermission, implementations: [any AgentTool] = Toolbox.builtinTools) {
        requested = tools
        self.permission = permission
        effective = tools.clipped(to: permission)
        self.implementations = Dictionary(implementations.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The tools the model may call, in canonical order.
    public var tools: [BuiltinTool] {
        effective.builtins.sorted().filter { implementations[$0] != nil }
    }

    /// The definitions to advertise to the model, in canonical order.
    public var definitions: [ToolDefinition] {
        tools.compactMap { implementations[$0]?.definition }
    }

    /// Checks and runs one call: parses its JSON arguments, refuses a tool outside the effective
    /// set (saying why), and runs the tool.
    ///
    /// Never throws: malformed arguments are an error result, a refused tool a result whose
    /// `refusal` says why.
    public func call(_ call: ToolCall, in context: ToolContext) async -> ToolResult {
        let tool: any AgentTool
        switch lookUp(call.name) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let found): tool = found
        }
        switch ToolArguments.parse(call.arguments) {
        case .failure(let failure): return failure.result
        case .success(let arguments): return await tool.run(arguments, in: context)
        }
    }

    /// Why the tool `name` may not be called, or `nil` when it may.
    public func refusal(for name: String) -> ToolRefusal? {
        guard case .failure(let refusal) = lookUp(name) else { return nil }
        return refusal
    }

    private func lookUp(_ name: String) -> Result<any AgentTool, ToolRefusal> {
        guard let tool = BuiltinTool(rawValue: name) else {
            return .failure(.unknownTool(name, available: tools.map(\.rawValue)))
        }
        if !requested.contains(tool) { return .failure(.notInAgentTools(tool)) }
        if !effective.contains(tool) { return .failure(.readOnlyPermission(tool)) }
        guard let implementation = implementations[tool] else { return .failure(.unavailable(tool)) }
        return .success(implementation)
    }
}
