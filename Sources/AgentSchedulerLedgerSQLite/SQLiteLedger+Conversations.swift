import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    public func saveConversation(
        _ session: SessionID, _ update: ConversationUpdate, worker: WorkerID, at: Date
    ) async throws {
        try update.validate()
        try await write { db in
            guard let current = try Self.fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
            guard current.worker == worker else { throw LedgerError.notHeld(session: session, worker: worker) }
            let saved =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM conversation_messages WHERE session = ?", arguments: [session]) ?? 0
            guard update.kept <= saved else {
                throw LedgerError.invalidValue(
                    "session \(session) has \(saved) saved messages; a save cannot keep \(update.kept)")
            }
            try db.execute(
                sql: """
                    INSERT INTO conversations (session, turns, checkpoint, saved_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (session) DO UPDATE SET turns = excluded.turns, checkpoint = excluded.checkpoint,
                        saved_at = excluded.saved_at
                    """,
                arguments: [session, update.turns, update.checkpoint, at.millisecondsSince1970])
            try db.execute(
                sql: "DELETE FROM conversation_messages WHERE session = ? AND position >= ?",
                arguments: [session, update.kept])
            for (offset, message) in update.appended.enumerated() {
                try db.executeCached(
                    sql: "INSERT INTO conversation_messages (session, position, message) VALUES (?, ?, ?)",
                    arguments: [session, update.kept + offset, message])
            }
        }
    }

    public func conversation(_ session: SessionID) async throws -> SavedConversation? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT turns, checkpoint, saved_at FROM conversations WHERE session = ?",
                    arguments: [session])
            else { return nil }
            let messages = try String.fetchAll(
                db, sql: "SELECT message FROM conversation_messages WHERE session = ? ORDER BY position",
                arguments: [session])
            return SavedConversation(
                messages: messages, turns: row["turns"], checkpoint: row["checkpoint"],
                savedAt: Date(millisecondsSince1970: row["saved_at"]))
        }
    }
}
