import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

/// `FeedbackSync`'s memory in the ledger: the forge pull requests agentsched opened, their feedback
/// cursors (as JSON), and follow-ups queued through ``FollowUps`` with their comment keys in the
/// same transaction, so each comment is acted on once across processes.
public struct LedgerFeedbackStore: FeedbackStore {
    public var ledger: any Ledger
    public var followUps: FollowUps
    public var clock: any WallClock

    public init(ledger: any Ledger, followUps: FollowUps, clock: any WallClock = SystemWallClock()) {
        self.ledger = ledger
        self.followUps = followUps
        self.clock = clock
    }

    /// The open forge pull requests with a latest session; local pull requests have no forge to read.
    public func openPullRequests(repository: String?) async throws -> [TrackedPullRequest] {
        try await ledger.pullRequests(repository: repository, openOnly: true).compactMap { record in
            guard !record.isLocal, let latest = record.latestSession else { return nil }
            let cursor = try record.feedbackCursor.map {
                try JSONDecoder().decode(FeedbackCursor.self, from: Data($0.utf8))
            }
            return TrackedPullRequest(
                repository: record.repository, number: record.number, latestSession: latest, cursor: cursor)
        }
    }

    public func saveCursor(_ cursor: FeedbackCursor, for pull: TrackedPullRequest) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await ledger.saveFeedbackCursor(
            repository: pull.repository, number: pull.number,
            cursor: String(decoding: try encoder.encode(cursor), as: UTF8.self), at: clock.now())
    }

    public func createFollowUp(
        of pull: TrackedPullRequest, feedback: String, by user: String, keys: [String]
    ) async throws -> SessionRecord? {
        do {
            return try await followUps.create(
                following: pull.latestSession, feedback: feedback, by: user, pullRequest: pull.number, keys: keys)
        } catch let refusal as FollowUps.Refusal {
            switch refusal {
            case .busy, .notFinished: throw FollowUpDeferred(reason: refusal.description)
            default: throw refusal
            }
        }
    }

    public func markIgnored(_ keys: [String], of pull: TrackedPullRequest) async throws -> [String] {
        try await ledger.markFeedback(
            repository: pull.repository, pullRequest: pull.number, keys: keys, outcome: .ignored, at: clock.now())
    }
}
