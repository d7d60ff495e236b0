import Foundation
import GRDB
import Testing

@testable import AgentSchedulerLedger
@testable import AgentSchedulerLedgerSQLite

/// `recordWebhookDelivery`: each GitHub delivery id is recorded once, so a replay does nothing.
@Suite struct WebhookDeliveryLedgerTests {
    /// A body digest as the receiver writes it: 64 hex digits, one per distinct `seed`.
    static func digest(_ seed: String) -> String {
        let hex = seed.utf8.map { String(format: "%02x", $0) }.joined()
        return String((hex + String(repeating: "0", count: 64)).prefix(64))
    }

    @Test(
        "a delivery id or body is new once; again, or through another connection, it is not; forgotten, it is new",
        arguments: LedgerEngine.available)
    func recordedOnce(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, path in
            let at = utc("2026-12-03T12:00:00Z")
            #expect(
                try await ledger.recordWebhookDelivery(
                    "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "ping",
                    digest: Self.digest("72d3162e-cc78-11e3-81ab-4c9367dc0958"), at: at))
            #expect(
                try await !ledger.recordWebhookDelivery(
                    "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "ping",
                    digest: Self.digest("72d3162e-cc78-11e3-81ab-4c9367dc0958"), at: at))
            // Another process's connection to the same ledger sees it too, even under another event name.
            try await engine.withAnother(path) { other in
                #expect(
                    try await !other.recordWebhookDelivery(
                        "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "issues",
                        digest: Self.digest("72d3162e-cc78-11e3-81ab-4c9367dc0958"), at: at + 5))
                #expect(
                    try await other.recordWebhookDelivery(
                        "another-delivery", event: "issues", digest: Self.digest("another-delivery"), at: at))
                // The same body under a fresh id is a replay: the id is not signed, the body is.
                #expect(
                    try await !other.recordWebhookDelivery(
                        "a-fresh-id", event: "issues", digest: Self.digest("another-delivery"), at: at))
                // A forgotten delivery (it could not be acted on) is new again when GitHub redelivers it.
                try await other.forgetWebhookDelivery("another-delivery")
                #expect(
                    try await ledger.recordWebhookDelivery(
                        "another-delivery", event: "issues", digest: Self.digest("another-delivery"), at: at))
            }
        }
    }

    @Test("an empty delivery id is refused", arguments: LedgerEngine.available)
    func emptyIDRefused(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            await #expect(throws: LedgerError.self) {
                try await ledger.recordWebhookDelivery("", event: "issues", digest: Self.digest(""), at: Date())
            }
        }
    }

    @Test(
        "deliveries racing on one id through separate connections: exactly one is new",
        arguments: LedgerEngine.available, [2, 8])
    func concurrentInsertsExactlyOneWins(engine: LedgerEngine, racers: Int) async throws {
        try await engine.withLedger { ledger, path in
            // SQLite: one ledger per racer, each its own connection; PostgreSQL: the pool's connections.
            let ledgers: [any Ledger] =
                engine == .sqlite
                ? try [ledger] + (1..<racers).map { _ in try SQLiteLedger(path: path) }
                : Array(repeating: ledger, count: racers)
            for round in 0..<20 {
                let delivery = "delivery-\(round)"
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for each in ledgers {
                        group.addTask {
                            try await each.recordWebhookDelivery(
                                delivery, event: "issues", digest: Self.digest(delivery), at: Date())
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(results.count { $0 } == 1, "round \(round): \(results)")
            }
        }
    }

    @Test("a ledger made before webhooks migrates, keeping its sessions, and records deliveries")
    func migratesFromV4() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let queue = try DatabaseQueue(path: path)
            try LedgerSchema.migrator.migrate(queue, upTo: "v4")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessions (org, repository, issue, title, agent, assigner, model, state, priority,
                            created_at, updated_at)
                        VALUES ('acme', 'acme/api', 7, 'old', 'implementer', 'alice', 'gpt-4.1', 'queued', 0, 0, 0)
                        """)
            }
            try queue.close()
            let old = try SQLiteLedger(path: path)
            #expect(try await old.session(1)?.title == "old")
            #expect(try await old.recordWebhookDelivery("d-1", event: "issues", digest: Self.digest("d-1"), at: Date()))
            // The CHECK holds even for a caller that goes around the method's own guard.
            #expect(throws: DatabaseError.self) {
                try old.pool.write { db in
                    try db.execute(
                        sql:
                            "INSERT INTO webhook_deliveries (delivery, event, digest, received_at) VALUES ('', 'x', '\(Self.digest("x"))', 0)"
                    )
                }
            }
        }
    }
}
