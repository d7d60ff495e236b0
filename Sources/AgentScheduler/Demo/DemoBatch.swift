import AgentSchedulerForges

/// One assignment the demo makes: who assigns which issues to which agent, and what it shows.
public struct DemoBatch: Sendable, Hashable {
    /// The user who assigns (and is billed); their role in the repository bounds the sessions.
    public var assigner: String
    /// The repository the issues are assigned in.
    public var repository: String
    /// Issue numbers from the demo's issues file, in the order they are assigned.
    public var issues: [Int]
    /// `.route` (by labels) or `.agent(NAME)`.
    public var target: AssignmentRequest.Target
    /// One line for people watching the demo: what this batch shows.
    public var purpose: String

    public init(
        assigner: String, repository: String = DemoWorkspace.repositoryName, issues: [Int],
        target: AssignmentRequest.Target, purpose: String
    ) {
        self.assigner = assigner
        self.repository = repository
        self.issues = issues
        self.target = target
        self.purpose = purpose
    }

    /// Whether the issues are routed by their labels.
    public var route: Bool { target == .route }

    /// The agent named, when the batch is not routed.
    public var agent: String? {
        if case .agent(let name) = target { return name }
        return nil
    }

    /// The `assign` request for this batch in `repository`, with the issues taken from `list`.
    ///
    /// Throws `DemoError.planFailed` when an issue is not in the list.
    public func request(issues list: IssueList, dryRun: Bool = false) throws -> AssignmentRequest {
        let chosen = try issues.map { number in
            guard let issue = list.issues.first(where: { $0.number == number }) else {
                throw DemoError.planFailed("issue #\(number) is not in the demo's issues file")
            }
            return issue
        }
        return AssignmentRequest(
            repository: repository, issues: chosen, target: target, assigner: assigner, dryRun: dryRun)
    }
}
