/// The session's toolbox as the loop's `ToolRunner`: the effective tools, confined to the worktree.
public struct ToolboxRunner: ToolRunner {
    public var toolbox: Toolbox
    public var context: ToolContext

    public init(toolbox: Toolbox, context: ToolContext) {
        self.toolbox = toolbox
        self.context = context
    }

    public var definitions: [ToolDefinition] { toolbox.definitions }

    public func run(_ call: ToolCall) async -> ToolRunOutcome {
        let result = await toolbox.call(call, in: context)
        return ToolRunOutcome(output: result.output, isError: result.isError, refusal: result.refusal?.message)
    }
}
