import AgentSchedulerCore

/// The tools one session may call, built-in and MCP, and the one place every call is checked and
/// run.
///
/// `call` looks the tool up (a built-in tool of the profile's set, or an MCP tool its `MCPToolset`
/// offers), asks the live permission source what the session may do now, refuses a tool that
/// writes (`edit`, `execute`, any MCP tool not marked read-only) below `write`, and only then runs
/// it. Nothing else runs tools. `agent` and `web` have no implementation in this runtime: they are
/// not listed, and calling them is refused as unavailable.
public struct Toolbox: ToolRunner {
    /// The profile's tool set, as given.
    public let requested: ToolSet
    /// The session's permission when it started: the ceiling of what is listed.
    public let permission: AgentPermission
    /// The tool set the session may use: `requested` clipped to `permission`.
    public let effective: ToolSet
    /// The session's MCP tools, when its profile has servers.
    public let mcp: MCPToolset?
    /// The session's worktree and limits; `run` needs it.
    public let context: ToolContext?
    private let live: any ToolPermissionSource
    private let implementations: [BuiltinTool: any AgentTool]

    /// The tools this runtime implements.
    public static var builtinTools: [any AgentTool] {
        [ReadTool(), SearchTool(), EditTool(), ExecuteTool(), TodoTool()]
    }

    /// A toolbox for a profile's `tools` under `permission`, in `context`; `live` is asked before
    /// every call (by default `permission`, fixed); `implementations` replaces the built-in tools
    /// (tests).
    public init(
        tools: ToolSet, permission: AgentPermission, context: ToolContext? = nil, mcp: MCPToolset? = nil,
        live: (any ToolPermissionSource)? = nil, implementations: [any AgentTool] = Toolbox.builtinTools
    ) {
        requested = tools
        self.permission = permission
        effective = tools.clipped(to: permission)
        self.context = context
        self.mcp = mcp
        self.live = live ?? FixedPermission(permission)
        self.implementations = Dictionary(implementations.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The built-in tools the model may call, in canonical order.
    public var tools: [BuiltinTool] {
        effective.builtins.sorted().filter { implementations[$0] != nil }
    }

    /// The built-in tools' definitions, in canonical order.
    public var definitions: [ToolDefinition] {
        tools.compactMap { implementations[$0]?.definition }
    }

    /// Every definition to advertise: the built-in tools, then the MCP tools by name.
    public func definitions() async -> [ToolDefinition] {
        definitions + (await mcp?.currentDefinitions() ?? [])
    }

    /// Checks and runs one call in the toolbox's context.
    public func run(_ call: ToolCall) async -> ToolResult {
        guard let context else { return .failure("Error: this session has no working copy for tools.") }
        return await self.call(call, in: context)
    }

    /// Checks and runs one call: looks the tool up, checks the live permission, parses the JSON
    /// arguments, and runs the tool.
    ///
    /// Never throws: malformed arguments are an error result, a refused tool a result whose
    /// `refusal` says why.
    public func call(_ call: ToolCall, in context: ToolContext) async -> ToolResult {
        let tool: Resolved
        switch await lookUp(call.name) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let found): tool = found
        }
        switch await live.permission(for: call) {
        case .failure(let refusal): return .refused(refusal)
        case .success(let now):
            if tool.writes, now < .write {
                return .refused(tool.builtin.map(ToolRefusal.readOnlyPermission) ?? .readOnlyMCP(call.name))
            }
        }
        let arguments: JSONValue
        switch ToolArguments.parse(call.arguments) {
        case .failure(let failure): return failure.result
        case .success(let parsed): arguments = parsed
        }
        switch tool {
        case .builtin(let implementation): return await implementation.run(arguments, in: context)
        case .mcp(let mcpTool):
            guard let mcp else { return .refused(.unknownTool(call.name, available: [])) }
            return await mcp.call(mcpTool, arguments: arguments, outputLimit: context.limits.maxOutputBytes)
        }
    }

    /// Why the tool `name` may not be called, or `nil` when it may (before the live check).
    public func refusal(for name: String) async -> ToolRefusal? {
        guard case .failure(let refusal) = await lookUp(name) else { return nil }
        return refusal
    }

    private enum Resolved {
        case builtin(any AgentTool)
        case mcp(MCPTool)

        var builtin: BuiltinTool? {
            if case .builtin(let tool) = self { return tool.kind }
            return nil
        }

        var writes: Bool {
            switch self {
            case .builtin(let tool): tool.kind.writes
            case .mcp(let tool): !tool.readOnly
            }
        }
    }

    private func lookUp(_ name: String) async -> Result<Resolved, ToolRefusal> {
        guard let tool = BuiltinTool(rawValue: name) else {
            if let mcp {
                if let found = await mcp.tool(named: name) { return .success(.mcp(found)) }
                if let reason = await mcp.unavailability(of: name) {
                    return .failure(.unavailableMCP(name, reason: reason))
                }
            }
            let available = tools.map(\.rawValue) + (await mcp?.definitions.map(\.name) ?? [])
            return .failure(.unknownTool(name, available: available))
        }
        if !requested.contains(tool) { return .failure(.notInAgentTools(tool)) }
        if !effective.contains(tool) { return .failure(.readOnlyPermission(tool)) }
        guard let implementation = implementations[tool] else { return .failure(.unavailable(tool)) }
        return .success(.builtin(implementation))
    }
}
