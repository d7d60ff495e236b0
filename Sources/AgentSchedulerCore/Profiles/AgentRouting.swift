/// How `assign --route` picks this agent: by issue labels, the highest priority first.
public struct AgentRouting: Sendable, Hashable, Codable {
    public var labels: [String]
    public var priority: Int

    public init(labels: [String] = [], priority: Int = 0) {
        self.labels = labels
        self.priority = priority
    }

    /// Whether any of `issueLabels` is one of ours, without regard to case.
    public func matches(_ issueLabels: [String]) -> Bool {
        let wanted = Set(labels.map { $0.lowercased() })
        return issueLabels.contains { wanted.contains($0.lowercased()) }
    }
}
