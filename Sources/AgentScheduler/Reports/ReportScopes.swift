import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// The budget scopes of an organisation at an instant, exactly as `BudgetEngine` reserves under them
/// (same keys, limits and periods), so their usage can be read back from the ledger.
public enum ReportScopes {
    /// The organisation's period budget.
    public static func org(_ policy: OrganizationPolicy, at date: Date) -> BudgetScope {
        scope(.org, policy: policy, user: "", agent: "", at: date)
    }

    /// A user's allowance: their own, else the policy's default.
    public static func user(_ user: String, in policy: OrganizationPolicy, at date: Date) -> BudgetScope {
        scope(.user, policy: policy, user: user, agent: "", at: date)
    }

    /// An agent's cap.
    public static func agent(_ agent: String, in policy: OrganizationPolicy, at date: Date) -> BudgetScope {
        scope(.agent, policy: policy, user: "", agent: agent, at: date)
    }

    private static func scope(
        _ kind: BudgetScope.Kind, policy: OrganizationPolicy, user: String, agent: String, at date: Date
    ) -> BudgetScope {
        let spend = Spend(
            policy: policy, session: nil, user: user, agent: agent, repository: "", model: "", kind: .request)
        return BudgetEngine.scopes(for: spend, at: date).first { $0.kind == kind }!
    }
}
