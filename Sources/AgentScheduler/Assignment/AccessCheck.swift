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
        workspace: Workspace, repository: String, user: String, profile: AgentProfile,
        forge: ForgeGrant = .notConsulted
    ) -> Verdict {
        guard let policy = workspace.policy(forRepository: repository), let rule = policy.rule(for: repository) else {
            return .denied("no organisation policy has a repository rule matching \(repository)")
        }
        let needed = RepositoryRole.required(for: profile.permission)
        let role: RepositoryRole
        switch (workspace.configuration.isGitHub(repository), forge) {
        case (_, .unavailable(let reason)):
            return .denied("\(user)'s permission in \(repository) could not be checked: \(reason)")
        case (true, .notConsulted):
            return .denied("\(user)'s permission in \(repository) was not checked with GitHub")
        case (_, .role(nil)):
            return .denied(
                "\(user) has no access to \(repository) on GitHub (permission none); \(needed.rawValue) is needed")
        case (_, .role(let granted?)):
            // The policy may lower GitHub's role, never raise it.
            role = rule.roles[user].map { min($0, granted) } ?? granted
        case (false, .notConsulted):
            guard let own = rule.roles[user] else {
                return .denied(
                    "\(user) has no role in \(repository) (policy \(policy.org)); \(needed.rawValue) is needed")
            }
            role = own
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
