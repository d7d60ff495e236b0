import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import GRDB
import PostgresNIO
import Testing

/// The engines the contract suite runs every test against: SQLite always, PostgreSQL when a test
/// server is configured (`AGENTSCHED_TEST_POSTGRES_URL`) or required (CI).
enum LedgerEngine: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite, and PostgreSQL when its tests run; without a server, one line says they are skipped.
    static let available: [LedgerEngine] = {
        guard PostgresTestServer.enabled else {
            FileHandle.standardError.write(
                Data("◇ ledger contract suite on SQLite only: \(PostgresTestServer.skipReason)\n".utf8))
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()

    var testDescription: String { rawValue }

    /// How many concurrent tasks a stress test runs where SQLite runs `sqlite`: a quarter on
    /// PostgreSQL, whose server shares the test machine's cores with the whole suite. They still
    /// contend for one budget's rows; the invariants do not depend on the count.
    func stressTasks(_ sqlite: Int) -> Int { self == .sqlite ? sqlite : max(25, sqlite / 4) }

    /// Runs `body` with a fresh, empty ledger of this engine and where it lives (a file's path, or
    /// a database's URL), and removes it afterwards.
    ///
    /// PostgreSQL takes the caller's times here (`.caller`), as SQLite does, so tests can move the
    /// clock; the database's own clock is tested on its own (`PostgresTimeTests`).
    func withLedger<T: Sendable>(_ body: (any Ledger, String) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await withTemporaryFolder { folder in
                let path = folder + "/ledger.sqlite"
                return try await body(try SQLiteLedger(path: path), path)
            }
        case .postgres:
            return try await PostgresTestServer.withDatabase { url in
                try await Self.withPostgres(url) { try await body($0, url) }
            }
        }
    }

    /// Runs `body` with another ledger on the same place, as a second process would open it.
    func withAnother<T: Sendable>(_ location: String, _ body: (any Ledger) async throws -> T) async throws -> T {
        switch self {
        case .sqlite: return try await body(try SQLiteLedger(path: location))
        case .postgres: return try await Self.withPostgres(location, body)
        }
    }

    /// Runs `sql` on the ledger at `location` behind the ledger's back, as a person editing the
    /// database would: what integrity tests break the ledger with.
    func execute(_ sql: String, at location: String) async throws {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue(path: location)
            try await queue.write { try $0.execute(sql: sql) }
            try queue.close()
        case .postgres:
            try await PostgresTestServer.execute(PostgresQuery(unsafeSQL: sql), on: location)
        }
    }

    /// The statement that lifts the ledger's own check on `table.column`'s values, so a test can
    /// write a value the code does not know (SQLite checks with triggers, PostgreSQL with a CHECK).
    func droppingCheck(table: String, column: String) -> String {
        switch self {
        case .sqlite: "DROP TRIGGER \(table)_\(column)_known_0; DROP TRIGGER \(table)_\(column)_known_1"
        case .postgres: "ALTER TABLE \(table) DROP CONSTRAINT \(table)_\(column)_check"
        }
    }

    private static func withPostgres<T: Sendable>(
        _ url: String, _ body: (PostgresLedger) async throws -> T
    ) async throws -> T {
        let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
        // Dozens of tests run at once, each with its own pool: 4 connections each stay within the
        // test server's connections. The stress tests then queue hundreds of transactions on
        // those 4, so a connection may take longer than a worker's 10 s to come free.
        return try await PostgresLedger.withLedger(
            configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
        ) { try await body($0) }
    }
}
