import AgentSchedulerCore
import ArgumentParser
import Foundation

extension Workspace {
    /// The policy of `org`, or an error line with a suggestion and exit 1.
    func requirePolicy(named org: String) throws -> OrganizationPolicy {
        guard let policy = policy(named: org) else {
            let hint = Suggestion.hint(for: org, among: policies.map(\.org)).map { "; \($0)" } ?? ""
            throw CommandError("no policy for organisation '\(org)'\(hint)")
        }
        return policy
    }

    /// The policies `--org` selects: one, or all when it is absent.
    func policies(selectedBy org: String?) throws -> [OrganizationPolicy] {
        guard let org else { return policies }
        return [try requirePolicy(named: org)]
    }

    /// Who acts: `explicit` (`--as`), else `$AGENTSCHED_USER`, else `user:` in `agentsched.yaml`;
    /// an error line when none is set.
    func actingUser(_ explicit: String?) throws -> String {
        let fromEnvironment = ProcessInfo.processInfo.environment["AGENTSCHED_USER"].flatMap { $0.isEmpty ? nil : $0 }
        guard let user = explicit ?? fromEnvironment ?? configuration.user else {
            throw CommandError("no assigner: pass --as USER, set AGENTSCHED_USER, or add 'user:' to agentsched.yaml")
        }
        return user
    }
}
