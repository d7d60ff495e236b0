import AgentSchedulerCore

/// Runs tool calls through another runner and redacts every secret from what comes back, before
/// the loop records it as an event, keeps it in the conversation, or sends it to the model.
///
/// A tool that prints a key (`execute` running `echo $KEY`, `read` of a file holding one) thus hands
/// the model `[redacted]`; the tool's definitions pass through unchanged.
public struct RedactingToolRunner: ToolRunner {
    public var base: any ToolRunner
    public var redactor: Redactor

    public init(base: any ToolRunner, redactor: Redactor) {
        self.base = base
        self.redactor = redactor
    }

    public func definitions() async -> [ToolDefinition] { await base.definitions() }

    public func run(_ call: ToolCall) async -> ToolResult {
        var result = await base.run(call)
        guard !redactor.isEmpty else { return result }
        result.output = redactor.redact(result.output)
        if let refusal = result.refusal, redactor.redact(refusal.message) != refusal.message {
            result.refusal = .denied(redactor.redact(refusal.message))
        }
        return result
    }
}
