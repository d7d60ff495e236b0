import AgentSchedulerForges

/// What `agentsched assign` asks: which issues of which repository go to which agent, for whom.
public struct AssignmentRequest: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// One agent, by handle or exact name.
        case agent(String)
        /// The agent whose `routing.labels` match the issue's labels, highest `routing.priority` first.
        case route
    }

    /// `OWNER/NAME`.
    public var repository: String
    public var issues: [Issue]
    public var target: Target
    /// The user who assigns, and is billed.
    public var assigner: String
    /// Report what would happen, changing nothing.
    public var dryRun: Bool
    /// The model to run on instead of the agent's own (`--model`): a catalog name the
    /// organisation allows; `nil` for the agent's models, in its order.
    public var model: String?

    public init(
        repository: String, issues: [Issue], target: Target, assigner: String, dryRun: Bool = false,
        model: String? = nil
    ) {
        self.repository = repository
        self.issues = issues
        self.target = target
        self.assigner = assigner
        self.dryRun = dryRun
        self.model = model
    }
}
