import AgentSchedulerCore
import Foundation

/// The queue workers claim from, and the controls other processes leave for running sessions.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol QueueLedger: Sendable {
    /// Claims up to `request.slots` unclaimed `queued` or `interrupted` sessions for the worker, in
    /// one transaction, so that any number of processes together keep every organisation's
    /// `concurrency` limits: sessions any worker holds count against them.
    ///
    /// Fair share: the organisation served least recently goes first, then within it the user
    /// served least recently; each one's sessions by priority (highest first), then age. A claimed
    /// session keeps its state until the worker starts it (`running`), blocks it, or lets it go.
    func claim(_ request: ClaimRequest) async throws -> [SessionRecord]
    /// Gives claimed sessions back to the queue, unstarted.
    func unclaim(_ sessions: [SessionID], worker: WorkerID, at: Date) async throws
    /// How many sessions are in each state.
    func stateCounts() async throws -> [SessionState: Int]
    /// The sessions workers hold, counted by organisation, repository and user.
    func activeCounts() async throws -> ActiveCounts
    /// Cancels a session that waits unclaimed, or asks the worker holding it to stop it.
    func requestCancel(_ session: SessionID, by user: String?, at: Date) async throws -> CancelOutcome
    /// Leaves a steering message for a session that has not ended; returns the message's id.
    func steer(_ session: SessionID, message: String, by user: String?, at: Date) async throws -> Int64
    /// Cancel requests and undelivered steering messages for the worker's sessions.
    func controls(worker: WorkerID) async throws -> WorkerControls
    /// Marks steering message `message` as handed to its session, unless it was already: returns
    /// `false` then, and the caller must not hand it over again. With a `refusal` (the message was
    /// not handed over: its charge did not fit), the same transaction records `session.steer-refused`.
    ///
    /// A charged message is marked by the charge's own `commit(…, delivering:)` instead, so that
    /// a message is never delivered, or charged, twice.
    func markDelivered(_ message: Int64, refusal: String?, at: Date) async throws -> Bool
    /// The charges of one session, oldest first (what a resumed session has already paid).
    func charges(session: SessionID) async throws -> [Charge]
}
