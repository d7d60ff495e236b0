import AgentScheduler
import AgentSchedulerForges
import AgentSchedulerLedger

/// A `FeedbackStore` that shows `sync` one pull request: a mention delivered by a webhook is acted
/// on exactly as `sync --repo` would, without reading every other pull request of the repository.
///
/// Everything else (cursors, follow-ups with their comment keys, ignored comments) goes to `base`
/// unchanged, so each comment is still acted on at most once, whichever of `sync`, `run --watch`
/// and webhook deliveries sees it first.
struct PullRequestFeedbackStore: FeedbackStore {
    var base: any FeedbackStore
    var number: Int

    func openPullRequests(repository: String?) async throws -> [TrackedPullRequest] {
        try await base.openPullRequests(repository: repository).filter { $0.number == number }
    }

    func saveCursor(_ cursor: FeedbackCursor, for pull: TrackedPullRequest) async throws {
        try await base.saveCursor(cursor, for: pull)
    }

    func createFollowUp(
        of pull: TrackedPullRequest, feedback: String, by user: String, keys: [String]
    ) async throws -> SessionRecord? {
        try await base.createFollowUp(of: pull, feedback: feedback, by: user, keys: keys)
    }

    func markIgnored(_ keys: [String], of pull: TrackedPullRequest) async throws -> [String] {
        try await base.markIgnored(keys, of: pull)
    }
}
