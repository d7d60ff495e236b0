import Foundation

/// A session's conversation as last saved: what a resuming worker continues from.
public struct SavedConversation: Sendable, Hashable {
    /// The messages, oldest first, as the JSON texts they were saved as (an engine may normalise
    /// their spacing and key order).
    public var messages: [String]
    /// The complete turns they hold.
    public var turns: Int
    /// The commit holding the worktree at the end of the last turn, when the session had one.
    public var checkpoint: String?
    /// When it was saved.
    public var savedAt: Date

    public init(messages: [String], turns: Int, checkpoint: String?, savedAt: Date) {
        self.messages = messages
        self.turns = turns
        self.checkpoint = checkpoint
        self.savedAt = savedAt
    }
}
