import Foundation

/// One save of a session's conversation: the messages kept from the last save, the ones after
/// them, and the worktree's checkpoint at the end of the turn.
///
/// Messages are JSON texts the ledger stores as they are (the runtime's `ChatMessage`s); a save
/// after a turn usually keeps every earlier message and appends the turn's.
public struct ConversationUpdate: Sendable, Hashable {
    /// How many of the saved messages stay, from the first.
    public var kept: Int
    /// The messages after them, in order; they replace any saved after `kept`.
    public var appended: [String]
    /// The complete turns (assistant messages) the conversation holds after this save.
    public var turns: Int
    /// The commit holding the worktree at the end of the last turn (`refs/agentsched/checkpoints/ID`),
    /// or `nil` when the session has no worktree yet.
    public var checkpoint: String?

    public init(kept: Int, appended: [String], turns: Int, checkpoint: String?) {
        self.kept = kept
        self.appended = appended
        self.turns = turns
        self.checkpoint = checkpoint
    }

    /// Refuses what no engine may store: a negative count, a message that is not JSON, or a
    /// checkpoint that is not a full SHA-1 or SHA-256 commit id in lower-case hex.
    public func validate() throws(LedgerError) {
        guard kept >= 0, turns >= 0 else {
            throw .invalidValue("a conversation keeps \(kept) messages over \(turns) turns: counts cannot be negative")
        }
        for (offset, message) in appended.enumerated()
        where (try? JSONSerialization.jsonObject(with: Data(message.utf8), options: .fragmentsAllowed)) == nil {
            throw .invalidValue("message \(kept + offset) of the conversation is not JSON")
        }
        if let checkpoint, !Self.isCommitID(checkpoint) {
            throw .invalidValue("checkpoint '\(checkpoint)' is not a commit id (40 or 64 lower-case hex digits)")
        }
    }

    /// Whether `text` is a full commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits.
    public static func isCommitID(_ text: String) -> Bool {
        [40, 64].contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
