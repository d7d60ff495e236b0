import Foundation
import PostgresNIO

/// The PostgreSQL server tests run against, and a fresh database on it for each test.
///
/// The server is `AGENTSCHED_TEST_POSTGRES_URL` (for instance
/// `postgres://agentsched@127.0.0.1:54329/postgres`, what `scripts/postgres-test-cluster.sh start`
/// prints). Suites that need it declare
/// `.enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason))`, so
/// without a server they are skipped with one line saying why, unless `AGENTSCHED_REQUIRE_POSTGRES=1`
/// (CI sets it): then they run, and a missing or unreachable server fails them.
public enum PostgresTestServer {
    /// The server's URL, `nil` when none is configured.
    public static let url: String? = ProcessInfo.processInfo.environment["AGENTSCHED_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Whether a server is configured.
    public static var configured: Bool { url != nil }

    /// Whether the server must be there (CI).
    public static let isRequired = ProcessInfo.processInfo.environment["AGENTSCHED_REQUIRE_POSTGRES"] == "1"

    /// Whether suites that need PostgreSQL run: a server is configured, or one is required (and
    /// its absence then fails them).
    public static let enabled = configured || isRequired

    /// The one line a skipped suite prints.
    public static let skipReason =
        "no PostgreSQL server: set AGENTSCHED_TEST_POSTGRES_URL (eval \"$(scripts/postgres-test-cluster.sh start)\"); "
        + "AGENTSCHED_REQUIRE_POSTGRES=1 fails instead"

    /// Creates a database with a unique name, runs `body` with its URL, and drops it afterwards,
    /// even when `body` throws (connections still open to it are ended).
    public static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        guard let url else {
            throw PostgresTestServerError(
                "PostgreSQL is required (AGENTSCHED_REQUIRE_POSTGRES=1) but "
                    + "AGENTSCHED_TEST_POSTGRES_URL is not set")
        }
        let server = try ServerURL(url)
        let name = "agentsched_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is made here from hexadecimal digits: an identifier cannot be a bound parameter.
        try await server.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        let result: T
        do {
            result = try await body(server.url(database: name))
        } catch {
            try? await server.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            throw error
        }
        try await server.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        return result
    }

    /// Runs `query` on one short-lived connection to `url`'s database: for tests that reach
    /// around a ledger (terminating its connections, writing a row its CHECKs must refuse).
    @discardableResult
    public static func execute(_ query: PostgresQuery, on url: String) async throws -> [PostgresRow] {
        try await ServerURL(url).execute(query)
    }

    /// The parts of a `postgres://user[:password]@host[:port]/database` URL the tests need.
    struct ServerURL {
        var components: URLComponents
        var configuration: PostgresConnection.Configuration

        init(_ text: String) throws {
            guard let components = URLComponents(string: text), let host = components.host,
                let user = components.user
            else {
                throw PostgresTestServerError("AGENTSCHED_TEST_POSTGRES_URL is not a postgres://user@host/db URL")
            }
            self.components = components
            var database = components.path
            if database.hasPrefix("/") { database.removeFirst() }
            configuration = PostgresConnection.Configuration(
                host: host, port: components.port ?? 5432, username: user,
                password: components.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"],
                database: database.isEmpty ? user : database, tls: .disable)
        }

        func url(database: String) -> String {
            var components = components
            components.path = "/\(database)"
            components.query = "sslmode=disable"
            return components.string ?? ""
        }

        @discardableResult
        func execute(_ query: PostgresQuery) async throws -> [PostgresRow] {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: Logger(label: "agentsched.test.postgres"))
            do {
                let rows = try await connection.query(query, logger: Logger(label: "agentsched.test.postgres"))
                    .collect()
                try await connection.close()
                return rows
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }
}

/// Why the test server could not be used.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
