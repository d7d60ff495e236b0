import Foundation

/// Where an interrupted session resumes from: its conversation after each complete turn, and the
/// checkpoint commit of its worktree at that moment (DESIGN §4).
///
/// A worker on any host reads what another worker saved, so a session whose host died continues
/// elsewhere from its last complete turn. Only the worker holding the session writes it: a worker
/// that lost the session (its lease expired and another worker claimed it) is refused, so a stale
/// host never overwrites the conversation another host is continuing.
public protocol ConversationLedger: Sendable {
    /// Keeps the first `update.kept` messages saved for `session`, replaces any after them with
    /// `update.appended`, and records `update.checkpoint`, in one transaction.
    ///
    /// Throws `notHeld` when `worker` does not hold the session, `noSuchSession`, and
    /// `invalidValue` when fewer than `kept` messages are saved, a message is not JSON, or the
    /// checkpoint is not a commit id.
    func saveConversation(_ session: SessionID, _ update: ConversationUpdate, worker: WorkerID, at: Date) async throws
    /// What was saved last for `session`, or `nil` when nothing was.
    func conversation(_ session: SessionID) async throws -> SavedConversation?
}
