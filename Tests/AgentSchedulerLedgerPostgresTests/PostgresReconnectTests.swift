import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite(
    "PostgreSQL connections: a connection lost mid-transaction rolls back, fails closed, and the next call reconnects",
    .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresReconnectTests {
    /// A plain connection beside the ledger's pool.
    static func connect(_ url: String) async throws -> PostgresConnection {
        let parsed = try PostgresLedgerConfiguration(url: url, environment: [:])
        return try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
                database: parsed.database, tls: .disable),
            id: 99, logger: Logger(label: "test"))
    }

    @Test("a reservation whose connection is terminated mid-transaction holds nothing, and the next one succeeds")
    func terminatedMidTransaction() async throws {
        try await withPostgresLedger { ledger, url in
            try await ledger.registerWorker(Fixture.lease("w1"), at: Fixture.now)
            let scopes = Fixture.scopes(limit: premium(10))
            guard case .reserved(let first) = try await ledger.reserve(Fixture.request(premium(1), scopes: scopes))
            else {
                Issue.record("the first reservation should fit")
                return
            }
            // Another connection holds the organisation's total, so the next reservation waits on it.
            let blocker = try await Self.connect(url)
            try await blocker.query("BEGIN", logger: Logger(label: "test"))
            try await blocker.query(
                "SELECT used FROM budget_totals WHERE scope = 'org:acme' FOR UPDATE", logger: Logger(label: "test"))
            let outcome = try await withThrowingTaskGroup(of: LedgerError?.self) { group in
                group.addTask {
                    do {
                        _ = try await ledger.reserve(Fixture.request(premium(2), scopes: scopes))
                        return nil
                    } catch let error as LedgerError {
                        return error
                    }
                }
                // Find the ledger's backend waiting for the lock, and kill it.
                var killed = false
                for _ in 0..<500 where !killed {
                    let waiting = try await blocker.query(
                        """
                        SELECT pid FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
                        """, logger: Logger(label: "test")
                    ).collect().map { try $0.decode(Int32.self) }
                    for pid in waiting {
                        try await blocker.query("SELECT pg_terminate_backend(\(pid))", logger: Logger(label: "test"))
                        killed = true
                    }
                    if !killed { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(killed)
                return try await group.next() ?? nil
            }
            try await blocker.query("ROLLBACK", logger: Logger(label: "test"))
            try await blocker.close()
            guard case .unavailable(let path, _) = outcome else {
                Issue.record("expected unavailable, got \(String(describing: outcome))")
                return
            }
            #expect(path == (try PostgresLedgerConfiguration(url: url, environment: [:])).description)
            // Rolled back: only the first reservation is held, and its event is the only one.
            #expect(try await ledger.openReservations().map(\.id) == [first.id])
            #expect(try await ledger.usage(of: [scopes[0]])[0].reserved == premium(1))
            // The pool replaced the dead connection: the next call works.
            guard case .reserved = try await ledger.reserve(Fixture.request(premium(2), scopes: scopes)) else {
                Issue.record("the reservation after the reconnect should fit")
                return
            }
            #expect(try await ledger.usage(of: [scopes[0]])[0].reserved == premium(3))
            let reserved = try await ledger.events(session: nil, after: 0).filter { $0.kind == .budgetReserved }
            #expect(reserved.count == 2)
        }
    }

    @Test("idle pooled connections terminated by the server do not fail the next calls")
    func deadIdleConnections() async throws {
        try await withPostgresLedger { ledger, url in
            // Open a few pooled connections, then let the server end every one of them.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await ledger.latestEventID() } }
                try await group.waitForAll()
            }
            let killer = try await Self.connect(url)
            try await killer.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """, logger: Logger(label: "test"))
            try await killer.close()
            for _ in 0..<8 {
                _ = try await ledger.createSession(Fixture.session(), at: Fixture.now)
            }
            #expect(try await ledger.sessions(in: []).count == 8)
        }
    }
}
