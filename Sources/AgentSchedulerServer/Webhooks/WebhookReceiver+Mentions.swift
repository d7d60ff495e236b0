import AgentScheduler
import AgentSchedulerCore
import Foundation

extension WebhookReceiver {
    /// A comment, review or review comment on pull request `number`: when `text` mentions
    /// `github.mention`, one `sync` pass over that pull request, as `agentsched sync --repo R`
    /// would make it.
    ///
    /// The pass reads the feedback from GitHub (not from the payload), checks each author's role
    /// (write or above, else one reply saying why), and queues one follow-up per author's new
    /// mentions, recording the comment keys with it: the same comment delivered twice, or seen by
    /// `sync` too, is acted on once. A pull request agentsched did not open, or one a session still
    /// works on (the mention then waits for the next pass or delivery), is 202, ignored.
    func followUp(
        on number: Int, in repository: String, mentionedIn text: String, what: String
    ) async throws(WebhookFailure) -> WebhookOutcome {
        let mention = workspace.configuration.githubMention ?? WorkspaceConfiguration.defaultMention
        guard text.lowercased().contains(mention.lowercased()) else {
            return WebhookOutcome(status: .ignored, message: "\(what) does not mention \(mention)")
        }
        var sync = forges.feedbackSync(workspace: workspace, ledger: ledger, clock: clock, logger: logger)
        sync.store = PullRequestFeedbackStore(base: sync.store, number: number)
        let report: SyncReport
        do {
            report = try await sync.pass(repository: repository)
        } catch {
            logger.error("webhook sync failed: \(error)", metadata: ["pull": "\(repository)#\(number)"])
            throw WebhookFailure.ledger
        }
        let pull = "\(repository)#\(number)"
        if let failure = report.failures.first {
            throw WebhookFailure.forge("feedback on \(pull) could not be read: \(oneLine(failure.reason))")
        }
        guard report.pullRequests > 0 else {
            return WebhookOutcome(status: .ignored, message: "\(pull) is not an open pull request agentsched opened")
        }
        if !report.followUps.isEmpty {
            let sessions = report.followUps.map { "session \($0)" }.joined(separator: ", ")
            return WebhookOutcome(
                status: .followedUp, message: "\(pull): follow-up queued (\(sessions))", sessions: report.followUps)
        }
        if report.waiting > 0 {
            return WebhookOutcome(
                status: .ignored,
                message: "\(pull): a session is still at work on its branch; the mention waits for the next pass")
        }
        if report.refused > 0 {
            return WebhookOutcome(
                status: .ignored, message: "\(pull): the mention is from a user below write, who was answered")
        }
        return WebhookOutcome(status: .ignored, message: "\(pull): nothing new to act on")
    }
}
