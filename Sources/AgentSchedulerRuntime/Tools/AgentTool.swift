import AgentSchedulerCore

/// A tool the model can call: what it is, what it advertises, and how it runs.
///
/// `run` never throws: a failure — bad arguments, a refused path, a missing file, a command that
/// failed — comes back as a `ToolResult` with `isError` set and a message the model can act on.
/// Arguments arrive parsed, and are validated by the tool against its own schema.
public protocol AgentTool: Sendable {
    /// The built-in tool this implements; its raw value is the name the model calls.
    var kind: BuiltinTool { get }
    /// The name, description and JSON schema advertised to the model.
    var definition: ToolDefinition { get }
    /// Runs the tool; honours task cancellation.
    func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult
}
