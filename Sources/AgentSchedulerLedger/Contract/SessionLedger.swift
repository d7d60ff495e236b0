import AgentSchedulerCore
import Foundation

/// The sessions: created, moved through their states, and what they left behind.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol SessionLedger: Sendable {
    func createSession(_ new: NewSession, at: Date) async throws -> SessionRecord
    func session(_ id: SessionID) async throws -> SessionRecord?
    /// Sessions in `states` (all when empty), oldest first.
    func sessions(in states: Set<SessionState>) async throws -> [SessionRecord]
    /// Moves a session to `state` if the state machine allows it, with an event; returns the new record.
    @discardableResult
    func transition(
        _ session: SessionID, to state: SessionState, reason: String?, worker: WorkerID?, at: Date
    ) async throws -> SessionRecord

    /// Records what a session left behind (branch, commit, patch, kept worktree, summary).
    func recordOutputs(_ session: SessionID, _ outputs: SessionOutputs, at: Date) async throws
    /// Records that a session runs on `model` instead of the one it asked for (the budget's fallback).
    func recordActualModel(_ session: SessionID, model: String, reason: String, at: Date) async throws
}
