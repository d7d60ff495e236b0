/// Who holds which role in the repositories a glob matches, and which agents may work there.
public struct RepositoryRule: Sendable, Hashable, Codable {
    /// A glob on `OWNER/NAME`; the first rule that matches wins.
    public var match: String
    public var roles: [String: RepositoryRole]
    /// Handles, names or globs of the profiles allowed; `*` allows all.
    public var agents: [String]
    /// Names or globs of the MCP servers sessions here may start (`mcp-servers: [...]`); `*`
    /// allows all, `[]` none.
    public var mcpServers: [String]

    public init(
        match: String, roles: [String: RepositoryRole] = [:], agents: [String] = ["*"], mcpServers: [String] = ["*"]
    ) {
        self.match = match
        self.roles = roles
        self.agents = agents
        self.mcpServers = mcpServers
    }

    public func matches(repository: String) -> Bool {
        Glob(match).matches(repository, ignoringCase: true)
    }

    /// Whether sessions in these repositories may start the MCP server `name`.
    public func allowsMCPServer(_ name: String) -> Bool {
        mcpServers.contains { Glob($0).matches(name) }
    }

    /// Whether the profile may work in these repositories.
    public func allows(_ profile: AgentProfile) -> Bool {
        agents.contains { pattern in
            let glob = Glob(pattern)
            return glob.matches(profile.handle) || glob.matches(profile.name)
        }
    }
}
