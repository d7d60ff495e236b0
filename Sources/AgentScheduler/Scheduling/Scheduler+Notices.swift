import AgentSchedulerCore

extension Scheduler {
    /// The worker's concurrency as its start notice says it: `concurrency 4`, and the organisations
    /// whose own limit is lower, `concurrency 4; at most 1 for acme`.
    static func concurrencyText(_ concurrency: Int, policies: [OrganizationPolicy]) -> String {
        let lower = policies.compactMap { policy -> String? in
            guard let sessions = policy.concurrency.sessions, sessions < concurrency else { return nil }
            return "at most \(sessions) for \(policy.org)"
        }
        return (["concurrency \(concurrency)"] + lower).joined(separator: "; ")
    }
}
