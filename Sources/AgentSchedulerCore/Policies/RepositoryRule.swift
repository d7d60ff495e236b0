/// Who holds which role in the repositories a glob matches, and which agents may work there.
public struct RepositoryRule: Sendable, Hashable, Codable {
    /// A glob on `OWNER/NAME`; the first rule that matches wins.
    public var match: String
    public var roles: [String: RepositoryRole]
    /// Handles, names or globs of the profiles allowed; `*` allows all.
    public var agents: [String]

    public init(match: String, roles: [String: RepositoryRole] = [:], agents: [String] = ["*"]) {
        self.match = match
        self.roles = roles
        self.agents = agents
    }

    public func matches(repository: String) -> Bool {
        Glob(match).matches(repository, ignoringCase: true)
    }

    /// Whether the profile may work in these repositories.
    public func allows(_ profile: AgentProfile) -> Bool {
        agents.contains { pattern in
            let glob = Glob(pattern)
            return glob.matches(profile.handle) || glob.matches(profile.name)
        }
    }
}
