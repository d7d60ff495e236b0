import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime

/// The live permission of a running session, asked before every tool call (DESIGN: permissions are
/// checked before any work starts and before every tool call).
///
/// It reloads the workspace and asks the forge for the assigner's role each time, then applies the
/// same `AccessCheck` admission used: an agent removed from the team, a policy that no longer lets
/// it work here, or a role lowered mid-session take effect at the next call. A role the forge
/// cannot tell is a refusal: the check fails closed.
struct SessionPermissions: ToolPermissionSource {
    var record: SessionRecord
    var workspaces: WorkspaceSource
    var forges: ForgeDirectory

    func permission(for call: ToolCall) async -> Result<AgentPermission, ToolRefusal> {
        let workspace = await workspaces.workspace()
        guard let profile = workspace.team.profile(named: record.agent) else {
            return .failure(.denied("agent \(record.agent) is no longer in the team"))
        }
        let grant = await forges.permissions.grant(
            for: record.assigner, in: record.repository, configuration: workspace.configuration)
        switch AccessCheck.evaluate(
            workspace: workspace, repository: record.repository, user: record.assigner, profile: profile, forge: grant)
        {
        case .denied(let reason):
            return .failure(.denied(reason))
        case .allowed(_, _, let permission):
            if permission < .write, Self.writes(call.name) {
                return .failure(
                    .denied("\(record.assigner)'s role in \(record.repository) no longer allows \(call.name)"))
            }
            return .success(permission)
        }
    }

    /// Built-in tools that write; MCP tools are judged by `Toolbox` from their annotations.
    private static func writes(_ name: String) -> Bool {
        BuiltinTool(rawValue: name)?.writes ?? false
    }
}
