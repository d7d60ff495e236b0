import AgentSchedulerLedgerPostgres
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the benches use: a database of their own per run on it, a ledger with a
/// small pool (16 processes share the server's 100 connections), and a plain postgres-nio client.
struct PostgresBench: Sendable {
    /// The server's URL, naming its maintenance database (`postgres`).
    var url: String

    /// `AGENTSCHED_TEST_POSTGRES_URL`, as `scripts/postgres-test-cluster.sh start` prints it.
    static func fromEnvironment(_ given: String?) throws -> PostgresBench {
        guard let url = given ?? ProcessInfo.processInfo.environment["AGENTSCHED_TEST_POSTGRES_URL"] else {
            throw BenchFailure("give --url or set AGENTSCHED_TEST_POSTGRES_URL")
        }
        return PostgresBench(url: url)
    }

    /// The URL of database `name` on the same server.
    func url(database name: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw BenchFailure("not a URL: \(url)") }
        components.path = "/\(name)"
        guard let text = components.string else { throw BenchFailure("not a URL: \(url)") }
        return text
    }

    /// Creates a fresh database (dropping one of that name) and returns its URL.
    func createDatabase(_ name: String) async throws -> String {
        try await Self.withConnection(url) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name)"), logger: Self.logger)
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger)
        }
        return try url(database: name)
    }

    func dropDatabase(_ name: String) async throws {
        try await Self.withConnection(url) { connection in
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name)"), logger: Self.logger)
        }
    }

    /// Errors only: the pool warns once when a lease comes before its `run()` task has started.
    static let logger = {
        var logger = Logger(label: "ledger-bench")
        logger.logLevel = .error
        return logger
    }()

    /// A ledger on `url` with at most `connections` pooled connections, migrated, for `body`.
    static func withLedger<T: Sendable>(
        _ url: String, connections: Int, body: (PostgresLedger) async throws -> T
    ) async throws -> T {
        let configuration = try PostgresLedgerConfiguration(url: url, environment: ProcessInfo.processInfo.environment)
        let ledger = PostgresLedger(configuration: configuration, maximumConnections: connections, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ledger.run() }
            defer { group.cancelAll() }
            try await ledger.migrate()
            return try await body(ledger)
        }
    }

    /// One postgres-nio connection from a client on `url` (the same configuration the ledger uses).
    static func withConnection<T: Sendable>(
        _ url: String, body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let configuration = try PostgresLedgerConfiguration(url: url, environment: ProcessInfo.processInfo.environment)
        var clientConfiguration = configuration.clientConfiguration
        clientConfiguration.options.maximumConnections = 1
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await client.withConnection { try await body($0) }
        }
    }
}
