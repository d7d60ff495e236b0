import AgentSchedulerCore
import ArgumentParser

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
}
