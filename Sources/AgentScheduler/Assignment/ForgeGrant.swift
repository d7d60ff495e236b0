import AgentSchedulerCore

/// What the forge said about a user's role in a repository, as `AccessCheck` weighs it.
public enum ForgeGrant: Sendable, Hashable {
    /// The forge was not asked: a local repository, whose roles come from the policy alone.
    case notConsulted
    /// The forge's answer: a role, or `nil` for none.
    case role(RepositoryRole?)
    /// The forge could not answer (unreachable, 404, a refused token): a one-line reason. Denies.
    case unavailable(String)
}
