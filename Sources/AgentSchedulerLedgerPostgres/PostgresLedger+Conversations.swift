import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    public func saveConversation(
        _ session: SessionID, _ update: ConversationUpdate, worker: WorkerID, at: Date
    ) async throws {
        try update.validate()
        try await transaction { transaction in
            // The session's row lock orders this save with its transitions: a worker that lost the
            // session is refused here, never after another worker's save.
            guard let current = try await Self.fetchSession(transaction, session, forUpdate: true) else {
                throw LedgerError.noSuchSession(session)
            }
            guard current.worker == worker else { throw LedgerError.notHeld(session: session, worker: worker) }
            let saved =
                try await transaction.value(
                    Int.self, "SELECT count(*)::bigint FROM conversation_messages WHERE session = \(session)") ?? 0
            guard update.kept <= saved else {
                throw LedgerError.invalidValue(
                    "session \(session) has \(saved) saved messages; a save cannot keep \(update.kept)")
            }
            let now = try await transaction.time(at)
            try await transaction.execute(
                """
                INSERT INTO conversations (session, turns, checkpoint, saved_at)
                VALUES (\(session), \(update.turns), \(update.checkpoint), agentsched_at(\(now)))
                ON CONFLICT (session) DO UPDATE SET turns = excluded.turns, checkpoint = excluded.checkpoint,
                    saved_at = excluded.saved_at
                """)
            try await transaction.execute(
                "DELETE FROM conversation_messages WHERE session = \(session) AND position >= \(update.kept)")
            guard !update.appended.isEmpty else { return }
            let positions = update.appended.indices.map { update.kept + $0 }
            try await transaction.execute(
                """
                INSERT INTO conversation_messages (session, position, message)
                SELECT \(session), position, message::jsonb
                FROM unnest(\(positions)::integer[], \(update.appended)::text[]) AS appended(position, message)
                """)
        }
    }

    public func conversation(_ session: SessionID) async throws -> SavedConversation? {
        try await transaction { transaction -> SavedConversation? in
            // One statement, one snapshot: the messages match the turn count and checkpoint.
            guard
                let row = try await transaction.row(
                    """
                    SELECT c.turns, c.checkpoint, agentsched_ms(c.saved_at),
                        coalesce((SELECT array_agg(m.message::text ORDER BY m.position)
                            FROM conversation_messages m WHERE m.session = c.session), '{}')
                    FROM conversations c WHERE c.session = \(session)
                    """)
            else { return nil }
            let (turns, checkpoint, savedAt, messages) = try row.decode((Int, String?, Int64, [String]).self)
            return SavedConversation(
                messages: messages, turns: turns, checkpoint: checkpoint, savedAt: Date(ledgerMilliseconds: savedAt))
        }
    }
}
