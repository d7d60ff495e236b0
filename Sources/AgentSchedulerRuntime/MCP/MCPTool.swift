import AgentSchedulerCore

/// One tool of an MCP server as a session offers it to the model.
public struct MCPTool: Sendable, Hashable {
    /// The server's name in the profile.
    public var server: String
    /// The tool's name at the server.
    public var name: String
    /// What the model calls: `server__tool`.
    public var modelName: String
    public var description: String
    /// The server's input schema, as the model gets it.
    public var inputSchema: JSONValue
    /// Annotated `readOnlyHint: true`, or listed in the server's `read-only-tools`: a read-only
    /// session may call it. Every other MCP tool counts as writing.
    public var readOnly: Bool

    public init(
        server: String, name: String, modelName: String, description: String, inputSchema: JSONValue, readOnly: Bool
    ) {
        self.server = server
        self.name = name
        self.modelName = modelName
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
    }

    /// `server/tool`, as profiles write it.
    public var reference: MCPToolReference { MCPToolReference(server: server, tool: name) }

    /// The definition the model is sent.
    public var definition: ToolDefinition {
        ToolDefinition(name: modelName, description: description, parameters: inputSchema)
    }
}
