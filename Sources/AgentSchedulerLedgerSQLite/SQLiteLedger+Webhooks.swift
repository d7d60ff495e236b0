import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    // MARK: Webhooks

    /// One `INSERT … ON CONFLICT DO NOTHING` in an immediate transaction: the primary key decides,
    /// under SQLite's file lock, which of several processes recorded the delivery first.
    public func recordWebhookDelivery(_ delivery: String, event: String, digest: String, at: Date) async throws -> Bool
    {
        guard !delivery.isEmpty, !digest.isEmpty else {
            throw LedgerError.invalidValue("a webhook delivery needs a delivery id and a body digest")
        }
        return try await write { db in
            // Either unique key (the id, the body's digest) already present: nothing is inserted.
            try db.executeCached(
                sql: """
                    INSERT INTO webhook_deliveries (delivery, event, digest, received_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [delivery, event, digest, at.millisecondsSince1970])
            return db.changesCount > 0
        }
    }

    public func forgetWebhookDelivery(_ delivery: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM webhook_deliveries WHERE delivery = ?", arguments: [delivery])
        }
    }
}
