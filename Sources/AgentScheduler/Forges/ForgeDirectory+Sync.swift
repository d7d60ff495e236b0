import AgentSchedulerCore
import AgentSchedulerLedger
import Logging

extension ForgeDirectory {
    /// A `sync` pass's parts over these forges: feedback read from them, follow-ups and cursors in
    /// `ledger`, roles through ``permissions``.
    public func feedbackSync(
        workspace: Workspace, ledger: any Ledger, clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "agentsched.sync")
    ) -> FeedbackSync {
        let followUps = FollowUps(workspace: workspace, ledger: ledger, permissions: permissions, clock: clock)
        return FeedbackSync(
            workspace: workspace, store: LedgerFeedbackStore(ledger: ledger, followUps: followUps, clock: clock),
            permissions: permissions, forge: { [self] repository in try forge(for: repository) }, logger: logger)
    }
}
