import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

/// Keeps a session's conversation in the ledger after every complete turn, and with
/// `checkpoints` also its worktree as a checkpoint commit, so that the next run resumes from the
/// last complete turn on whichever host claims the session (DESIGN §4).
///
/// A save sends only the messages after the ones the last save already holds. The checkpoint is
/// made before the conversation is saved and named in the same write, so the saved conversation
/// always names the worktree of its own turn; a host that dies between the two leaves the
/// previous turn's pair. Only the worker holding the session can save (the ledger refuses
/// anyone else). Secrets are redacted by the ledger in front of the engine (`RedactingLedger`).
actor LedgerConversationStore: ConversationStore {
    /// Where a session resumes from: its messages and the checkpoint of that turn.
    struct ResumePoint: Sendable {
        var messages: [ChatMessage]
        var checkpoint: String?
    }

    /// How a session's worktree is checkpointed: into its source repository and, for a forge's
    /// repository, pushed to the forge.
    struct Checkpoints: Sendable {
        var worktree: LazyWorktree
        var forge: ForgeClone?
        /// A scratch file for the bundle the checkpoint travels in.
        var bundle: URL
    }

    private let ledger: any ConversationLedger
    private let session: SessionID
    private let worker: WorkerID
    private let clock: any WallClock
    private let checkpoints: Checkpoints?
    /// The messages the ledger holds, as this store encoded them.
    private var saved: [String]
    /// The last checkpoint the ledger names.
    private var checkpoint: String?
    private let resumed: [ChatMessage]?

    init(
        ledger: any ConversationLedger, session: SessionID, worker: WorkerID, clock: any WallClock,
        resuming point: ResumePoint?, checkpoints: Checkpoints?
    ) {
        self.ledger = ledger
        self.session = session
        self.worker = worker
        self.clock = clock
        self.checkpoints = checkpoints
        // A message that cannot be encoded is saved again by the first save (which then throws).
        saved = (point?.messages ?? []).map { (try? Self.encode($0)) ?? "" }
        checkpoint = point?.checkpoint
        resumed = point?.messages
    }

    func save(_ messages: [ChatMessage]) async throws {
        let encoded = try messages.map(Self.encode)
        let kept = zip(saved, encoded).prefix { $0 == $1 }.count
        let turns = messages.count { $0.role == .assistant }
        var checkpoint = checkpoint
        if let checkpoints, let repository = await checkpoints.worktree.worktree {
            checkpoint = try await repository.checkpoint(
                session: "\(session)", turn: turns, previous: checkpoint, through: checkpoints.bundle)
            try await checkpoints.forge?.pushCheckpoint(session: "\(session)")
        }
        try await ledger.saveConversation(
            session,
            ConversationUpdate(kept: kept, appended: Array(encoded[kept...]), turns: turns, checkpoint: checkpoint),
            worker: worker, at: clock.now())
        saved = encoded
        self.checkpoint = checkpoint
    }

    /// The conversation this store resumed from.
    func load() async throws -> [ChatMessage]? { resumed }

    /// What the ledger saved for `session`; else what a version before conversations lived in the
    /// ledger left in `legacyFile` (`STATE/sessions/ID/conversation.json`), with no checkpoint;
    /// `nil` when neither has anything. A saved message that is not a `ChatMessage` throws.
    static func resumePoint(
        of session: SessionID, in ledger: any ConversationLedger, legacyFile: URL
    ) async throws -> ResumePoint? {
        if let saved = try await ledger.conversation(session) {
            let messages = try saved.messages.map { try JSONDecoder().decode(ChatMessage.self, from: Data($0.utf8)) }
            return ResumePoint(messages: messages, checkpoint: saved.checkpoint)
        }
        guard let legacy = try await FileConversationStore(file: legacyFile).load() else { return nil }
        return ResumePoint(messages: legacy, checkpoint: nil)
    }

    private static func encode(_ message: ChatMessage) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(message), as: UTF8.self)
    }
}
