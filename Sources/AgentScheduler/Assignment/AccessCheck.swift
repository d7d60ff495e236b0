import AgentSchedulerCore

/// Whether a user may have an agent work in a repository, and with what permission: the
/// organisation's repository rule, the user's role in it, and the rule's allowed agents.
///
/// `assign` refuses a write agent to a user below `write`; at run time the session's effective
/// permission is the lower of the profile's and what the user's role allows (DESIGN §2.2), so a
/// role lowered after assignment clips the tools to reading instead of letting the agent write.
public enum AccessCheck {
    public enum Verdict: Sendable, Hashable {
        case allowed(policy: OrganizationPolicy, role: RepositoryRole, permission: AgentPermission)
        /// A one-line reason.
        case denied(String)
    }

    public static func evaluate(
        workspace: Workspace, repository: String, user: String, profile: AgentProfile
    ) -> Verdict {
        guard let policy = workspace.policy(forRepository: repository), let rule = policy.rule(for: repository) else {
            return .denied("no organisation policy has a repository rule matching \(repository)")
        }
        let needed = RepositoryRole.required(for: profile.permission)
        guard let role = rule.roles[user] else {
            return .denied(
                "\(user) has no role in \(repository) (policy \(policy.org)); \(needed.rawValue) is needed")
        }
        guard rule.allows(profile) else {
            return .denied(
                "agent \(profile.handle) is not allowed in \(repository) (allowed: \(rule.agents.joined(separator: ", ")))"
            )
        }
        let permission = min(profile.permission, role >= .write ? .write : .readOnly)
        return .allowed(policy: policy, role: role, permission: permission)
    }
}
