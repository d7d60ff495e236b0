import AgentSchedulerRuntime

/// A forge repository ready for a session: agentsched's fetched clone, and the branch to start from.
public struct PreparedRepository: Sendable {
    public var clone: ForgeClone
    /// A branch name (`main`); sessions start from ``baseRef``, its last fetched state.
    public var base: String

    /// The ref sessions branch from: `refs/remotes/origin/BASE` in the clone.
    public var baseRef: String { ForgeClone.baseRef(for: base) }
}
