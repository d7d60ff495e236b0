import AgentSchedulerCore

/// The organisation budget the demo sets, and the session it is meant to block.
///
/// The figure is every paid session of the routed batch but the last one to be admitted: the
/// scheduler admits an assigner's sessions highest `routing.priority` first, then oldest first,
/// and charges per-session organisations 1 × the model's multiplier as it admits each. So the
/// budget runs out exactly when the last paid session comes up, and that session waits in
/// `blocked` on the organisation's budget. 0× sessions still run after it.
public struct DemoBudget: Sendable, Hashable {
    /// The organisation whose budget was lowered.
    public var org: String
    /// The policy file written, relative to the demo workspace.
    public var policyFile: String
    /// The `budget.premium-requests` written for the period.
    public var limit: PremiumRequests
    /// What the routed batch would cost if every session ran.
    public var batchCost: PremiumRequests
    /// The issue whose session the budget leaves out.
    public var blockedIssue: Int
    /// The agent of that session.
    public var blockedAgent: String
    /// What that session would cost.
    public var blockedCost: PremiumRequests
    /// What the review round's follow-up costs (its session's model, 1 × the multiplier).
    public var followUpCost: PremiumRequests

    public init(
        org: String, policyFile: String, limit: PremiumRequests, batchCost: PremiumRequests, blockedIssue: Int,
        blockedAgent: String, blockedCost: PremiumRequests, followUpCost: PremiumRequests
    ) {
        self.followUpCost = followUpCost
        self.org = org
        self.policyFile = policyFile
        self.limit = limit
        self.batchCost = batchCost
        self.blockedIssue = blockedIssue
        self.blockedAgent = blockedAgent
        self.blockedCost = blockedCost
    }

    /// One sentence for people watching the demo.
    public var explanation: String {
        "\(org)'s budget is set to \(limit) premium requests (\(policyFile)): the batch costs \(batchCost), so "
            + "#\(blockedIssue) (\(blockedAgent), \(blockedCost)), the last paid session admitted, "
            + "waits in blocked on the organisation budget"
    }
}
