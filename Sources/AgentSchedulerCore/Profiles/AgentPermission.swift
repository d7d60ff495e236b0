/// The most an agent may do in a repository; the repository policy and the assigner's role may lower it.
public enum AgentPermission: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Read and search only: `edit` and `execute` are removed.
    case readOnly = "read-only"
    case write

    public static func < (lhs: AgentPermission, rhs: AgentPermission) -> Bool {
        lhs == .readOnly && rhs == .write
    }
}
