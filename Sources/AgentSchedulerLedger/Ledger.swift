import AgentSchedulerCore
import Foundation

/// The memory of agentsched: sessions, their events, budget reservations, charges and worker leases.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
/// Implementations keep their own SQL to themselves (`SQLiteLedger` today; a PostgreSQL one can join).
public protocol Ledger: Sendable {
    // MARK: Sessions

    func createSession(_ new: NewSession, at: Date) async throws -> SessionRecord
    func session(_ id: Int64) async throws -> SessionRecord?
    /// Sessions in `states` (all when empty), oldest first.
    func sessions(in states: Set<SessionState>) async throws -> [SessionRecord]
    /// Moves a session to `state` if the state machine allows it, with an event; returns the new record.
    @discardableResult
    func transition(
        _ session: Int64, to state: SessionState, reason: String?, worker: String?, at: Date
    ) async throws -> SessionRecord

    /// Records what a session left behind (branch, commit, patch, kept worktree, summary).
    func recordOutputs(_ session: Int64, _ outputs: SessionOutputs, at: Date) async throws
    /// Records that a session runs on `model` instead of the one it asked for (the budget's fallback).
    func recordActualModel(_ session: Int64, model: String, reason: String, at: Date) async throws

    // MARK: Queue

    /// Claims up to `request.slots` unclaimed `queued` or `interrupted` sessions for the worker, in
    /// one transaction, so that any number of processes together keep every organisation's
    /// `concurrency` limits: sessions any worker holds count against them.
    ///
    /// Fair share: the organisation served least recently goes first, then within it the user
    /// served least recently; each one's sessions by priority (highest first), then age. A claimed
    /// session keeps its state until the worker starts it (`running`), blocks it, or lets it go.
    func claim(_ request: ClaimRequest) async throws -> [SessionRecord]
    /// Gives claimed sessions back to the queue, unstarted.
    func unclaim(_ sessions: [Int64], worker: String, at: Date) async throws
    /// How many sessions are in each state.
    func stateCounts() async throws -> [SessionState: Int]
    /// The sessions workers hold, counted by organisation, repository and user.
    func activeCounts() async throws -> ActiveCounts
    /// Cancels a session that waits unclaimed, or asks the worker holding it to stop it.
    func requestCancel(_ session: Int64, by user: String?, at: Date) async throws -> CancelOutcome
    /// Leaves a steering message for a session that has not ended; returns the message's id.
    func steer(_ session: Int64, message: String, by user: String?, at: Date) async throws -> Int64
    /// Cancel requests and undelivered steering messages for the worker's sessions.
    func controls(worker: String) async throws -> WorkerControls
    /// Marks steering messages as handed to their sessions.
    func markDelivered(_ messages: [Int64], at: Date) async throws
    /// The charges of one session, oldest first (what a resumed session has already paid).
    func charges(session: Int64) async throws -> [Charge]

    // MARK: Events

    func record(
        _ kind: String, session: Int64?, org: String?, data: [String: String], at: Date
    ) async throws
    /// Appends many events in one transaction, in the order given.
    func record(_ events: [NewEvent]) async throws
    /// Events of one session, or all with `session == nil`, after `afterID`, in order.
    func events(session: Int64?, after afterID: Int64) async throws -> [LedgerEvent]
    /// The id of the newest event, 0 when there is none: where a live reader starts.
    func latestEventID() async throws -> Int64
    /// Budget alerts (`budget.alert` events) after `afterID` recorded at or after `since`, of `org`
    /// or of every organisation with `nil`, in order.
    func alerts(org: String?, since: Date, after afterID: Int64) async throws -> [LedgerEvent]

    // MARK: Budget

    /// Holds `request.amount` under every scope at once, or says which scope it would overrun.
    ///
    /// Invariant: for every scope, used + reserved ≤ limit after the call. A zero amount always fits.
    func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome
    /// Turns an open reservation into a charge of at most its amount, then records any budget alerts
    /// newly crossed by the organisation scope (`alerts` are percentages of `orgLimit`).
    ///
    /// `amount` is in the reservation's unit; `tokens` are what the provider reported (zero under
    /// premium requests).
    func commit(
        _ reservation: Int64, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int]
    ) async throws -> Charge
    /// Returns an open reservation's amount to every scope it was held under.
    func release(_ reservation: Int64, reason: String, at: Date) async throws
    /// Used and reserved amounts of each scope in its period.
    func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage]
    /// Reservations not yet committed or released.
    func openReservations() async throws -> [Reservation]

    // MARK: Leases

    func registerWorker(_ lease: WorkerLease, at: Date) async throws
    /// Extends a lease; throws `leaseLost` when another process already reclaimed it.
    func renewLease(worker: String, until: Date) async throws
    /// Ends a worker's lease cleanly (its reservations must already be resolved).
    func retireWorker(_ worker: String, at: Date) async throws
    /// Releases the reservations and interrupts the active sessions of every worker whose lease
    /// expired before `now`.
    func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport

    // MARK: Reports

    /// Charges grouped by the query's dimensions, sorted by them, with their totals: all read from
    /// the ledger as it stood at one instant, so rows and totals always agree.
    func usage(_ query: UsageQuery) async throws -> UsageTable
    /// Every charge in the range, oldest first (for `github-csv` and reconciliation).
    func charges(from: Date, until: Date, org: String?) async throws -> [Charge]
    /// What each of the latest `limit` completed sessions of `agent` that ran on `model` cost in
    /// `unit`, newest first: the history `assign --dry-run` estimates from.
    func completedSessionCosts(agent: String, model: String, unit: BillingUnit, limit: Int) async throws -> [Amount]

    // MARK: Pull requests

    /// Records a forge's pull request, or updates the one recorded under its repository and
    /// number (its head, base, title, body, state and draft flag).
    ///
    /// `fields.session`, when given, becomes the latest session on it, and the one that opened it
    /// if none is recorded yet; the feedback cursor is kept. Throws `pullRequestExists` when
    /// another open pull request of the repository has the same head.
    @discardableResult
    func recordPullRequest(
        _ fields: PullRequestFields, number: Int, url: String, at: Date
    ) async throws
        -> PullRequestRecord
    /// Records a local pull request under the repository's next local number (1, 2, …, allocated
    /// atomically across processes), with the URL `local:OWNER/NAME#N`.
    ///
    /// Throws `pullRequestExists` when an open pull request from the same head is recorded.
    func openLocalPullRequest(_ fields: PullRequestFields, at: Date) async throws -> PullRequestRecord
    /// The pull requests of `repository` (of every repository when `nil`), open ones only when
    /// `openOnly`, by repository and number.
    func pullRequests(repository: String?, openOnly: Bool) async throws -> [PullRequestRecord]
    func pullRequest(repository: String, number: Int) async throws -> PullRequestRecord?
    /// The open pull request from branch `head`, if one is recorded.
    func pullRequest(head: String, repository: String) async throws -> PullRequestRecord?
    /// Moves a recorded pull request to `state` (closed or merged on the forge, say).
    func setPullRequestState(
        repository: String, number: Int, state: PullRequestRecord.State, at: Date)
        async throws
    /// Makes `session` the latest session on a pull request: the one its next follow-up continues.
    func setLatestSession(repository: String, number: Int, session: Int64, at: Date) async throws
    /// Keeps where the last reading of a pull request's feedback stopped: a JSON text the caller
    /// encodes (the Forges module's `FeedbackCursor`); the ledger refuses text that is not JSON.
    func saveFeedbackCursor(repository: String, number: Int, cursor: String, at: Date) async throws

    // MARK: Feedback

    /// Creates a follow-up session and records every key of `feedbackKeys` (such as
    /// `review-comment:123`) as acted on for pull request `pullRequest` of `new.repository`, in one
    /// transaction; the pull request's latest session becomes the new one.
    ///
    /// Returns `nil`, creating and recording nothing, when any key was already acted on: of two
    /// processes racing on the same feedback exactly one creates the follow-up. `new.follows` and
    /// `new.feedback` must be set; with no keys and no pull request it is `createSession`.
    func createFollowUp(
        _ new: NewSession, pullRequest: Int?, feedbackKeys: [String], at: Date
    ) async throws
        -> SessionRecord?
    /// Records feedback keys as acted on without a session (a comment ignored, with one reply);
    /// returns the keys this call marked, leaving out those acted on before, so whoever gets a
    /// key back is the one process that acts on it.
    func markFeedback(
        repository: String, pullRequest: Int, keys: [String], outcome: FeedbackOutcome, at: Date
    ) async throws -> [String]
    /// Of `keys`, those already acted on for that pull request.
    func actedOnFeedback(repository: String, pullRequest: Int, keys: [String]) async throws -> Set<String>

    // MARK: Local comments

    /// Writes a comment on local issue or pull request `number` of `repository`.
    @discardableResult
    func addLocalComment(
        repository: String, number: Int, author: String, body: String, at: Date
    ) async throws
        -> LocalComment
    /// The comments on `number` with an id above `afterID`, oldest first.
    func localComments(repository: String, number: Int, after afterID: Int64) async throws -> [LocalComment]

    // MARK: Webhooks

    /// Records that webhook delivery `delivery` (GitHub's `X-GitHub-Delivery`) of `event`, whose
    /// body hashes to `digest` (SHA-256, hex), arrived at `at`, in one atomic insert; returns
    /// `true` when it is new and `false` when that delivery id or that body was recorded before,
    /// so of any number of processes receiving the same delivery exactly one acts on it, and a
    /// signed body resent under a fresh id is a replay too (the id is not signed; the body is).
    ///
    /// Throws `LedgerError.invalidValue` for an empty delivery id or digest.
    func recordWebhookDelivery(_ delivery: String, event: String, digest: String, at: Date) async throws -> Bool
    /// Forgets a recorded delivery that could not be acted on (GitHub or the ledger failed), so
    /// that GitHub's redelivery, which keeps the id and the body, is acted on.
    func forgetWebhookDelivery(_ delivery: String) async throws
}

extension Ledger {
    /// The rows of `usage(_:)`.
    public func usageRows(_ query: UsageQuery) async throws -> [UsageRow] {
        try await usage(query).rows
    }
}
