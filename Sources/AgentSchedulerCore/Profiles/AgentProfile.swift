/// One agent of the team, with `extends` merged and every name resolved: what the scheduler runs.
public struct AgentProfile: Sendable, Hashable, Codable {
    /// The file stem (`test-writer.agent.md` → `test-writer`); unique in the team.
    public var handle: String
    /// Display name; may hold spaces and punctuation (`C# Expert`).
    public var name: String
    public var description: String
    /// The system prompt: the Markdown body, or `prompt:` in YAML.
    public var prompt: String
    /// Catalog names, first choice first; the rest are fallbacks.
    public var models: [String]
    /// After `disallowed-tools` was removed.
    public var tools: ToolSet
    /// The MCP servers the profile declares, by name.
    public var mcpServers: [MCPServerDeclaration]
    public var limits: AgentLimits
    public var permission: AgentPermission
    /// Whether `execute` asks for the network (`execute: { network: allow }`); the organisation's
    /// policy must permit it too.
    public var executeNetwork: NetworkAccess
    public var routing: AgentRouting?
    /// Parents, as written.
    public var extends: [String]
    /// The file the profile was read from.
    public var source: String
    /// Keys accepted and kept but not interpreted (`target`, `metadata`, `handoffs`, Claude Code's `hooks`, …).
    /// An `.object`, or `nil` when the profile has none.
    public var attributes: JSONValue?

    public init(
        handle: String,
        name: String,
        description: String,
        prompt: String,
        models: [String],
        tools: ToolSet = .all,
        mcpServers: [MCPServerDeclaration] = [],
        limits: AgentLimits = AgentLimits(),
        permission: AgentPermission = .write,
        executeNetwork: NetworkAccess = .deny,
        routing: AgentRouting? = nil,
        extends: [String] = [],
        source: String,
        attributes: JSONValue? = nil
    ) {
        self.handle = handle
        self.name = name
        self.description = description
        self.prompt = prompt
        self.models = models
        self.tools = tools
        self.mcpServers = mcpServers
        self.limits = limits
        self.permission = permission
        self.executeNetwork = executeNetwork
        self.routing = routing
        self.extends = extends
        self.source = source
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey {
        case handle, name, description, models, tools, limits, routing, extends, source, attributes, prompt
        case mcpServers = "mcp-servers"
        case permission = "permissions"
        case executeNetwork = "execute-network"
    }

    /// The first-choice model.
    public var model: String { models.first ?? "" }
}
