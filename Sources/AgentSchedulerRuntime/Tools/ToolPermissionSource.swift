import AgentSchedulerCore

/// Where `Toolbox` learns, before every call, what the session may still do.
///
/// The scheduler's source asks the forge and the policy again each time (a role can be lowered, an
/// agent removed, mid-session); a failure to find out is a refusal: checks fail closed.
public protocol ToolPermissionSource: Sendable {
    /// The session's permission now, or the reason no tool may run.
    func permission(for call: ToolCall) async -> Result<AgentPermission, ToolRefusal>
}

/// A permission that never changes: tests, and sessions run outside the scheduler.
public struct FixedPermission: ToolPermissionSource {
    public var permission: AgentPermission

    public init(_ permission: AgentPermission) {
        self.permission = permission
    }

    public func permission(for call: ToolCall) async -> Result<AgentPermission, ToolRefusal> { .success(permission) }
}
