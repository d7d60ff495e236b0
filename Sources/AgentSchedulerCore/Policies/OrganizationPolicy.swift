/// One organisation's rules, from `policies/ORG.yaml`: budget, allowances, concurrency,
/// repository roles and models.
public struct OrganizationPolicy: Sendable, Hashable, Codable {
    public var org: String
    /// What budgets count: premium requests (legacy) or AI credits (`billing:`).
    public var billing: BillingUnit
    /// When premium requests are charged; under AI credits every model request is charged.
    public var charging: ChargingMode
    public var budget: BudgetPolicy
    /// Per-user allowances inside the org budget, in `billing`; `nil` means no allowance beyond
    /// the org budget.
    public var users: [String: Amount?]
    /// The allowance of users not named in `users`.
    public var defaultUserAllowance: Amount?
    /// Per-agent caps inside the org budget, by handle, in `billing`.
    public var agents: [String: Amount?]
    public var concurrency: ConcurrencyPolicy
    public var repositories: [RepositoryRule]
    public var models: ModelPolicy
    /// The caps of sessions whose profile sets none (`limits:`).
    public var limits: SessionDefaults
    /// How sessions run `execute` and git (`sandbox:`).
    public var sandbox: SandboxMode
    /// Whether profiles that ask for the network in `execute` get it (`execute: { network: allow }`).
    public var executeNetwork: NetworkAccess
    /// The file the policy was read from.
    public var source: String

    public init(
        org: String,
        billing: BillingUnit = .premiumRequests,
        charging: ChargingMode = .perSession,
        budget: BudgetPolicy = BudgetPolicy(),
        users: [String: Amount?] = [:],
        defaultUserAllowance: Amount? = nil,
        agents: [String: Amount?] = [:],
        concurrency: ConcurrencyPolicy = ConcurrencyPolicy(),
        repositories: [RepositoryRule] = [],
        models: ModelPolicy = ModelPolicy(),
        limits: SessionDefaults = .builtIn,
        sandbox: SandboxMode = .bubblewrap,
        executeNetwork: NetworkAccess = .deny,
        source: String
    ) {
        self.org = org
        self.billing = billing
        self.charging = charging
        self.budget = budget
        self.users = users
        self.defaultUserAllowance = defaultUserAllowance
        self.agents = agents
        self.concurrency = concurrency
        self.repositories = repositories
        self.models = models
        self.limits = limits
        self.sandbox = sandbox
        self.executeNetwork = executeNetwork
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case org, billing, charging, budget, users, agents, concurrency, repositories, models, limits, source, sandbox
        case executeNetwork = "execute-network"
        case defaultUserAllowance = "default-user-allowance"
    }

    /// Whether each model request is reserved and charged on its own: always under AI credits,
    /// and under premium requests with `charging: per-request`.
    public var chargesPerRequest: Bool { billing == .aiCredits || charging == .perRequest }

    /// The first repository rule whose glob matches `OWNER/NAME`.
    public func rule(for repository: String) -> RepositoryRule? {
        repositories.first { $0.matches(repository: repository) }
    }

    /// The user's role in the repository, or `nil` when they have none.
    public func role(of user: String, in repository: String) -> RepositoryRole? {
        rule(for: repository)?.roles[user]
    }

    /// The user's allowance: their own, else the default; `nil` is bounded only by the org budget.
    public func allowance(for user: String) -> Amount? {
        if let own = users[user] { return own }
        return defaultUserAllowance
    }
}
