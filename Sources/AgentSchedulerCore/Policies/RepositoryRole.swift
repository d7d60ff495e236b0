/// A person's role in a repository, GitHub's five levels in order.
public enum RepositoryRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case read, triage, write, maintain, admin

    public static func < (lhs: RepositoryRole, rhs: RepositoryRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The least role that may assign an agent with `permission`: `write` for agents that write, `read` otherwise.
    public static func required(for permission: AgentPermission) -> RepositoryRole {
        permission == .write ? .write : .read
    }
}
