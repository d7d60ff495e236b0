import AgentSchedulerCore

/// The choices of the new task form: repositories, agents, and each organisation's allowed models.
public struct NewTaskOptions: Sendable, Hashable {
    /// `OWNER/NAME`, in order.
    public var repositories: [String]
    /// Each agent's handle and display name.
    public var agents: [Agent]
    /// Per organisation, the catalog models its policy allows, in catalog order.
    public var models: [OrganizationModels]

    /// An agent to choose.
    public struct Agent: Sendable, Hashable {
        public var handle: String
        public var name: String
        /// The model it runs on when the form names none.
        public var model: String

        public init(handle: String, name: String, model: String) {
            self.handle = handle
            self.name = name
            self.model = model
        }
    }

    /// An organisation's allowed models.
    public struct OrganizationModels: Sendable, Hashable {
        public var org: String
        public var models: [String]

        public init(org: String, models: [String]) {
            self.org = org
            self.models = models
        }
    }

    public init(repositories: [String], agents: [Agent], models: [OrganizationModels]) {
        self.repositories = repositories
        self.agents = agents
        self.models = models
    }

    /// The choices `workspace` offers: the repositories of `agentsched.yaml` (or, without any,
    /// the policies' repository rules that are no globs), every agent of the team by handle, and
    /// each organisation's models as its `models.allow` admits them (retired ones left out).
    public init(workspace: Workspace) {
        var repositories = workspace.configuration.repositories.keys.sorted()
        if repositories.isEmpty {
            let rules = workspace.policies.flatMap(\.repositories).map(\.match)
            repositories = Array(Set(rules.filter { !$0.contains("*") && !$0.contains("?") })).sorted()
        }
        let agents = workspace.team.profiles.sorted { $0.handle < $1.handle }.map {
            Agent(handle: $0.handle, name: $0.name, model: $0.model)
        }
        let catalog = workspace.catalog?.models ?? []
        let models = workspace.policies.map { policy in
            OrganizationModels(
                org: policy.org, models: catalog.filter { $0.retired == nil && policy.models.allows($0) }.map(\.name))
        }
        self.init(repositories: repositories, agents: agents, models: models)
    }
}
