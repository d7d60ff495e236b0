import AgentSchedulerCore
import AgentSchedulerRuntime

/// What `validate` says about this machine's sandbox: when bubblewrap is missing or broken, every
/// profile that asks for `execute` gets a warning, since its sessions will run without it
/// (DESIGN §13). Nothing is said when every organisation's policy says `sandbox: none`.
public enum SandboxCheck {
    public static func diagnostics(
        workspace: Workspace, bubblewrap: Result<Bubblewrap, SandboxUnavailable>
    ) -> [Diagnostic] {
        guard case .failure(let reason) = bubblewrap,
            workspace.policies.isEmpty || workspace.policies.contains(where: { $0.sandbox != .none })
        else { return [] }
        return workspace.team.profiles.filter { $0.tools.contains(.execute) }.map { profile in
            .warning(
                .sandboxUnavailable,
                "agent '\(profile.handle)' uses execute, which runs only in a sandbox, and \(reason)",
                hint: "its sessions run without execute; install bubblewrap, or say `sandbox: none` in a policy "
                    + "for machines that are sandboxes themselves",
                at: SourceLocation(path: profile.source))
        }
    }
}
