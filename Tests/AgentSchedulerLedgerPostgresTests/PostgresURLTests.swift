import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite("PostgreSQL URLs: parsing, sslmode, and the password never shown")
struct PostgresURLTests {
    struct Valid: Sendable, CustomStringConvertible {
        var url: String
        var environment: [String: String]
        var user: String
        var password: String?
        var host: String
        var port: Int
        var database: String
        var sslMode: PostgresLedgerConfiguration.SSLMode
        var shown: String

        var description: String { shown }
    }

    static let valid: [Valid] = [
        Valid(
            url: "postgres://agentsched@127.0.0.1:54329/postgres", environment: [:], user: "agentsched",
            password: nil, host: "127.0.0.1", port: 54329, database: "postgres", sslMode: .prefer,
            shown: "postgres://agentsched@127.0.0.1:54329/postgres?sslmode=prefer"),
        Valid(
            url: "postgresql://ops:s3cr%40t@db.example.com/ledger?sslmode=verify-full", environment: [:],
            user: "ops", password: "s3cr@t", host: "db.example.com", port: 5432, database: "ledger",
            sslMode: .verifyFull, shown: "postgres://ops@db.example.com:5432/ledger?sslmode=verify-full"),
        Valid(
            url: "postgres://ops@db:6432/ledger?sslmode=require", environment: ["PGPASSWORD": "from-env"],
            user: "ops", password: "from-env", host: "db", port: 6432, database: "ledger", sslMode: .require,
            shown: "postgres://ops@db:6432/ledger?sslmode=require"),
        Valid(
            url: "postgres://ops:in-url@db/ledger?sslmode=disable", environment: ["PGPASSWORD": "from-env"],
            user: "ops", password: "in-url", host: "db", port: 5432, database: "ledger", sslMode: .disable,
            shown: "postgres://ops@db:5432/ledger?sslmode=disable"),
        Valid(
            url: "postgres://ops:pw@db", environment: [:], user: "ops", password: "pw", host: "db", port: 5432,
            database: "ops", sslMode: .prefer, shown: "postgres://ops@db:5432/ops?sslmode=prefer"),
    ]

    @Test("a valid URL gives its parts, and its description leaves the password out", arguments: valid)
    func parses(_ example: Valid) throws {
        let configuration = try PostgresLedgerConfiguration(url: example.url, environment: example.environment)
        #expect(configuration.user == example.user)
        #expect(configuration.password == example.password)
        #expect(configuration.host == example.host)
        #expect(configuration.port == example.port)
        #expect(configuration.database == example.database)
        #expect(configuration.sslMode == example.sslMode)
        #expect(configuration.description == example.shown)
        if let password = example.password {
            #expect(!configuration.description.contains(password))
            #expect(!"\(configuration)".contains(password))
            #expect(!String(reflecting: configuration).contains(password))
            var dumped = ""
            dump(configuration, to: &dumped)
            #expect(!dumped.contains(password))
        }
    }

    struct Invalid: Sendable, CustomStringConvertible {
        var url: String
        var reason: String

        var description: String { reason }
    }

    static let invalid: [Invalid] = [
        Invalid(url: "mysql://root:hunter2@db/ledger", reason: "scheme"),
        Invalid(url: "postgres://:hunter2@db/ledger", reason: "no user"),
        Invalid(url: "postgres://ops:hunter2@/ledger", reason: "no host"),
        Invalid(url: "postgres://ops:hunter2@db/ledger?sslmode=sometimes", reason: "sslmode"),
        Invalid(url: "postgres://ops:hunter2@db/ledger?password=hunter2", reason: "unknown parameter"),
        Invalid(url: "postgres://ops:hunter2@db/led/ger", reason: "path"),
        Invalid(url: "postgres://ops:hunter2@db:0/ledger", reason: "port"),
        Invalid(url: "hunter2 is not a url at all %%", reason: "not a URL"),
    ]

    @Test("a bad URL throws one line that never contains the password", arguments: invalid)
    func refuses(_ example: Invalid) {
        #expect {
            try PostgresLedgerConfiguration(url: example.url, environment: ["PGPASSWORD": "hunter2"])
        } throws: { error in
            let text = "\(error)"
            return !text.contains("hunter2") && !text.contains("\n") && text.hasPrefix("the PostgreSQL URL")
        }
    }

    @Test("the ledger's unavailable error names the database without the password")
    func unavailableHidesPassword() async throws {
        // Nothing listens on port 1: the connection fails, and the error must not carry the password.
        let configuration = try PostgresLedgerConfiguration(
            url: "postgres://ops:hunter2@127.0.0.1:1/ledger?sslmode=disable", environment: [:])
        let error = await #expect(throws: LedgerError.self) {
            try await PostgresLedger.withLedger(configuration, connectionTimeout: .seconds(2)) { ledger in
                try await ledger.latestEventID()
            }
        }
        guard case .unavailable(let path, let reason) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(path == "postgres://ops@127.0.0.1:1/ledger?sslmode=disable")
        #expect(!reason.contains("hunter2"))
        #expect(!"\(error!)".contains("hunter2"))
    }
}
