/// What a tool call runs with: the session's worktree, its checklist, the limits, and the extra
/// environment for commands.
///
/// The worktree is lazy: the first tool that needs files (`read`, `search`, `edit`, `execute`)
/// creates it; `todo` does not.
public struct ToolContext: Sendable {
    /// The session's worktree, created on first use.
    public var worktree: LazyWorktree
    /// The session's own checklist.
    public var todos: TodoList
    public var limits: ToolLimits
    /// Variables `execute` adds to its scrubbed environment. Names holding TOKEN, KEY, SECRET,
    /// PASSWORD or CREDENTIAL are dropped all the same.
    public var environment: [String: String]

    public init(
        worktree: LazyWorktree, todos: TodoList = TodoList(), limits: ToolLimits = ToolLimits(),
        environment: [String: String] = [:]
    ) {
        self.worktree = worktree
        self.todos = todos
        self.limits = limits
        self.environment = environment
    }
}
