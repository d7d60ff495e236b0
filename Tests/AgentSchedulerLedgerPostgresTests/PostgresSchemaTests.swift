import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import PostgresNIO
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite(
    "PostgreSQL schema: versioned migrations, CHECK constraints, and decoding that refuses unknown values",
    .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresSchemaTests {
    @Test("eight processes migrating a fresh database at once all succeed, and each version is applied once")
    func concurrentMigrations() async throws {
        try await PostgresTestServer.withDatabase { url in
            let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        // Each its own ledger and pool: as separate processes would.
                        try await PostgresLedger.withLedger(configuration) { ledger in
                            try await ledger.migrate()
                            #expect(try await ledger.schemaVersion() == Int(PostgresSchema.latestVersion))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await PostgresTestServer.execute(
                "SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version", on: url)
            let applied = try rows.map { try $0.decode((Int32, Int64).self) }
            #expect(applied.map(\.0) == PostgresSchema.migrations.map(\.version))
            #expect(applied.allSatisfy { $0.1 == 1 })
        }
    }

    @Test("a database never migrated is at version 0; migrating twice changes nothing")
    func versions() async throws {
        try await PostgresTestServer.withDatabase { url in
            let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
            let ledger = PostgresLedger(
                configuration: configuration, maximumConnections: 4, connectionTimeout: .seconds(120))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ledger.run() }
                #expect(try await ledger.schemaVersion() == 0)
                try await ledger.migrate()
                try await ledger.migrate()
                #expect(try await ledger.schemaVersion() == Int(PostgresSchema.latestVersion))
                group.cancelAll()
            }
        }
    }

    struct Refused: Sendable, CustomStringConvertible {
        var what: String
        /// What must exist first (accepted).
        var setup: String? = nil
        var statement: String

        var description: String { what }
    }

    static let refused: [Refused] = [
        Refused(
            what: "a session state outside the state machine",
            statement: """
                INSERT INTO sessions (org, repository, issue, title, agent, assigner, model, state, priority,
                    created_at, updated_at)
                VALUES ('acme', 'acme/webapp', 1, '', 'a', 'alice', 'm', 'paused', 0, now(), now())
                """),
        Refused(
            what: "an empty organisation",
            statement: """
                INSERT INTO sessions (org, repository, issue, title, agent, assigner, model, state, priority,
                    created_at, updated_at)
                VALUES ('', 'acme/webapp', 1, '', 'a', 'alice', 'm', 'queued', 0, now(), now())
                """),
        Refused(
            what: "a reservation in an unknown unit",
            setup:
                "INSERT INTO workers (id, pid, host, started_at, lease_expires_at) VALUES ('w', 1, 'h', now(), now())",
            statement: """
                INSERT INTO reservations (worker, org, user_name, agent, repository, model_requested, model_actual,
                    kind, amount, unit, period_start, state, created_at)
                VALUES ('w', 'acme', 'alice', 'a', 'r', 'm', 'm', 'request', 1, 'dollars', now(), 'open', now())
                """),
        Refused(
            what: "a negative total",
            statement: """
                INSERT INTO budget_totals (scope, period_start, used, reserved) VALUES ('org:acme', now(), -1, 0)
                """),
        Refused(
            what: "an unknown pull request state",
            statement: """
                INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                    created_at, updated_at)
                VALUES ('acme/webapp', 1, 'u', 'h', 'main', '', '', 'abandoned', false, false, now(), now())
                """),
        Refused(
            what: "event data that is not an object of strings",
            statement: "INSERT INTO events (at, kind, data) VALUES (now(), 'note', '{\"n\": 1}')"),
        Refused(
            what: "an empty webhook delivery id",
            statement: "INSERT INTO webhook_deliveries (delivery, event, digest, received_at) VALUES ('', 'e', "
                + "'\(String(repeating: "a", count: 64))', now())"),
        Refused(
            what: "a feedback cursor that is not JSON",
            statement: """
                INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                    created_at, updated_at, feedback_cursor)
                VALUES ('acme/webapp', 2, 'u', 'h2', 'main', '', '', 'open', false, false, now(), now(), '{nope')
                """),
    ]

    @Test("the schema refuses a row with a value the ledger does not know", arguments: refused)
    func checksRefuse(_ example: Refused) async throws {
        try await withPostgresLedger { ledger, url in
            if let setup = example.setup {
                try await PostgresTestServer.execute(PostgresQuery(unsafeSQL: setup), on: url)
            }
            await #expect(throws: PSQLError.self) {
                try await PostgresTestServer.execute(PostgresQuery(unsafeSQL: example.statement), on: url)
            }
        }
    }

    @Test("a row whose state slipped past the schema fails the read with corrupt")
    func corruptRowThrows() async throws {
        try await withPostgresLedger { ledger, url in
            let session = try await ledger.createSession(Fixture.session(), at: Fixture.now)
            // Widen the CHECK, as an older or foreign writer might have, and store an unknown state.
            let constraint = try await PostgresTestServer.execute(
                """
                SELECT conname FROM pg_constraint
                WHERE conrelid = 'sessions'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%queued%'
                """, on: url
            ).map { try $0.decode(String.self) }
            #expect(constraint.count == 1)
            for name in constraint where name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                try await PostgresTestServer.execute(
                    PostgresQuery(unsafeSQL: "ALTER TABLE sessions DROP CONSTRAINT \(name)"), on: url)
            }
            try await PostgresTestServer.execute(
                "UPDATE sessions SET state = 'paused' WHERE id = \(session.id)", on: url)
            await #expect(throws: LedgerError.corrupt("sessions.state 'paused' is unknown")) {
                try await ledger.session(session.id)
            }
        }
    }
}

/// Decoding needs no server: it runs everywhere.
@Suite("PostgreSQL decoding refuses values the ledger does not know")
struct PostgresDecodingTests {
    @Test("decoding an unknown state, kind or unit throws corrupt, never a default")
    func decodingThrows() throws {
        #expect(throws: LedgerError.corrupt("sessions.state 'paused' is unknown")) {
            try PostgresLedger.decoded(SessionState.self, "paused", column: "sessions.state")
        }
        #expect(throws: LedgerError.corrupt("charges.kind 'tip' is unknown")) {
            try PostgresLedger.decoded(ChargeKind.self, "tip", column: "charges.kind")
        }
        #expect(throws: LedgerError.corrupt("charges.unit 'dollars' is unknown")) {
            try PostgresLedger.decoded(BillingUnit.self, "dollars", column: "charges.unit")
        }
        #expect(try PostgresLedger.decoded(SessionState.self, "timed-out", column: "s") == .timedOut)
        #expect(throws: LedgerError.corrupt("event data is not an object of strings")) {
            try PostgresLedger.eventData("{\"n\": 1}")
        }
    }
}
