import AgentSchedulerCore

/// Premium requests or AI credits about to be spent, and on whose account.
public struct Spend: Sendable, Hashable {
    public var policy: OrganizationPolicy
    public var session: SessionID?
    /// The assigner, who is billed.
    public var user: String
    /// The agent's handle.
    public var agent: String
    public var repository: String
    /// The model the profile asked for (a catalog name or alias).
    public var model: String
    /// How many premium requests at the model's multiplier: 1 per session start, request or
    /// steering message (premium requests only; credits are priced from tokens).
    public var units: Int
    public var kind: ChargeKind
    /// The session's own cap in the policy's unit (`limits.max-premium-requests` or
    /// `limits.max-ai-credits`).
    public var sessionLimit: Amount?

    public init(
        policy: OrganizationPolicy, session: SessionID?, user: String, agent: String, repository: String, model: String,
        units: Int = 1, kind: ChargeKind, sessionLimit: Amount? = nil
    ) {
        self.policy = policy
        self.session = session
        self.user = user
        self.agent = agent
        self.repository = repository
        self.model = model
        self.units = units
        self.kind = kind
        self.sessionLimit = sessionLimit
    }
}
