import AgentSchedulerRuntime

/// Checks the session's permission again before every tool call (DESIGN: permissions are checked
/// before any work starts and before every tool call), then runs the call through the toolbox.
///
/// `check` answers the reason to refuse, or `nil` to go ahead; a refusal is answered to the model
/// as text, like any other refused tool.
struct GuardedToolRunner: ToolRunner {
    var base: ToolboxRunner
    var check: @Sendable (ToolCall) async -> String?

    var definitions: [ToolDefinition] { base.definitions }

    func run(_ call: ToolCall) async -> ToolRunOutcome {
        if let refusal = await check(call) {
            return ToolRunOutcome(output: "Refused: \(refusal).", isError: true, refusal: refusal)
        }
        return await base.run(call)
    }
}
