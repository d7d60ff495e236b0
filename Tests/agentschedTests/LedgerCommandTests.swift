import AgentSchedulerLedgerSQLite
import Foundation
import Testing

/// `agentsched ledger` and the choice of engine, through the built binary, without a database server.
@Suite("agentsched ledger migrate and check; where the ledger lives")
struct LedgerCommandTests {
    @Test("on a SQLite ledger: check before any state creates nothing; migrate creates it; check then passes")
    func sqliteLedger() async throws {
        let workspace = try TemporaryWorkspace()
        let before = try await workspace.run("ledger", "check")
        #expect(before.status == 0)
        #expect(before.stdout.contains("no ledger at"), "\(before.stdout)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/.agentsched"))
        let migrate = try await workspace.run("ledger", "migrate")
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(
            migrate.stdout.contains("ledger.sqlite: schema v\(SQLiteLedger.latestSchemaVersion)\n"), "\(migrate.stdout)"
        )
        let check = try await workspace.run("ledger", "check")
        #expect(check.status == 0)
        #expect(check.stdout.contains("every invariant holds"))
    }

    @Test(
        "a database URL that is missing or unusable is one error line, never the URL or its password",
        arguments: [
            ([:], "$AGENTSCHED_DATABASE_URL is not set"),
            (["AGENTSCHED_DATABASE_URL": "mysql://alice:pw-s3cr3t-771@db.example/ledger"], "postgres://"),
            (["AGENTSCHED_DATABASE_URL": "postgres://:pw-s3cr3t-771@db.example/ledger"], "names no user"),
        ])
    func unusableURL(environment: [String: String], reason: String) async throws {
        let workspace = try TemporaryWorkspace()
        for command in [["ledger", "check"], ["sessions", "list"], ["run", "--until-idle"]] {
            let result = try await AgentschedProcess.run(
                command + ["--ledger-url-env", "AGENTSCHED_DATABASE_URL"], in: workspace.url, environment: environment)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("pw-s3cr3t-771"))
            #expect(!(result.stdout + result.stderr).contains("db.example"))
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/.agentsched/ledger.sqlite"))
    }

    @Test("an agentsched.yaml with errors stops a command instead of guessing where the ledger is")
    func brokenConfigurationStops() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agentsched.yaml", "ledger: { url-env: [not, a, name] }\n")
        let result = try await workspace.run("sessions", "list")
        #expect(result.status == 2)
        #expect(result.stderr.contains("agentsched.yaml:1:"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/.agentsched"))
    }
}
