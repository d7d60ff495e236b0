import Foundation
import GRDB

extension SQLiteLedger {
    // MARK: Webhooks

    /// One `INSERT … ON CONFLICT DO NOTHING` in an immediate transaction: the primary key decides,
    /// under SQLite's file lock, which of several processes recorded the delivery first.
    public func recordWebhookDelivery(_ delivery: String, event: String, at: Date) async throws -> Bool {
        guard !delivery.isEmpty else {
            throw LedgerError.invalidValue("a webhook delivery needs a delivery id")
        }
        return try await write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO webhook_deliveries (delivery, event, received_at) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [delivery, event, at.millisecondsSince1970])
            return db.changesCount > 0
        }
    }
}
