/// Everything a workspace defines, loaded and checked: the team, the organisations' policies,
/// the model catalog and `agentsched.yaml`, with every problem found on the way.
public struct Workspace: Sendable {
    /// The folder as given (`.`, `/srv/agents`, …); file paths in diagnostics start with it.
    public var root: String
    public var team: Team
    /// Sorted by organisation.
    public var policies: [OrganizationPolicy]
    /// `nil` when `policies/models.yaml` is missing or unusable (then there is an error diagnostic).
    public var catalog: ModelCatalog?
    public var configuration: WorkspaceConfiguration
    /// Sorted by file and position; no duplicates.
    public var diagnostics: [Diagnostic]

    public init(
        root: String,
        team: Team,
        policies: [OrganizationPolicy],
        catalog: ModelCatalog?,
        configuration: WorkspaceConfiguration,
        diagnostics: [Diagnostic]
    ) {
        self.root = root
        self.team = team
        self.policies = policies.sorted { $0.org < $1.org }
        self.catalog = catalog
        self.configuration = configuration
        self.diagnostics = Array(Set(diagnostics)).sorted()
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The policy of organisation `org`.
    public func policy(named org: String) -> OrganizationPolicy? {
        policies.first { $0.org == org } ?? policies.first { $0.org.lowercased() == org.lowercased() }
    }

    /// The policy that governs `OWNER/NAME`: the organisation named like its owner if one of its rules
    /// matches, else the first organisation with a matching rule.
    public func policy(forRepository repository: String) -> OrganizationPolicy? {
        let owner = repository.split(separator: "/").first.map(String.init) ?? repository
        if let own = policy(named: owner), own.rule(for: repository) != nil { return own }
        return policies.first { $0.rule(for: repository) != nil }
    }
}
