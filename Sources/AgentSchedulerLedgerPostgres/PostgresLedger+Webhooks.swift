import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    // MARK: Webhooks

    /// One `INSERT … ON CONFLICT DO NOTHING`: the unique keys (the id, the body's digest) decide
    /// which of several processes recorded the delivery first; a second inserter of the same key
    /// waits for the first to commit, then inserts nothing.
    public func recordWebhookDelivery(_ delivery: String, event: String, digest: String, at: Date) async throws -> Bool
    {
        guard !delivery.isEmpty, !digest.isEmpty else {
            throw LedgerError.invalidValue("a webhook delivery needs a delivery id and a body digest")
        }
        return try await transaction { transaction in
            let now = try await transaction.time(at)
            return try await transaction.row(
                """
                INSERT INTO webhook_deliveries (delivery, event, digest, received_at)
                VALUES (\(delivery), \(event), \(digest), agentsched_at(\(now)))
                ON CONFLICT DO NOTHING RETURNING delivery
                """) != nil
        }
    }

    public func forgetWebhookDelivery(_ delivery: String) async throws {
        try await transaction { transaction in
            try await transaction.execute("DELETE FROM webhook_deliveries WHERE delivery = \(delivery)")
        }
    }
}
