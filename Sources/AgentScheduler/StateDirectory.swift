import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerLedgerSQLite
import Foundation

/// Where a workspace keeps its state: `.agentsched/` inside it, or `--state DIR` / `AGENTSCHED_STATE`;
/// and where its ledger lives: `ledger.sqlite` in that folder, or a database server.
///
/// With a server, no ledger file is created anywhere: the folder keeps only worktrees, clones and
/// patches, so workers on different machines each have their own folder and share the database.
public struct StateDirectory: Sendable, Hashable {
    public var path: String
    public var ledger: LedgerLocation

    /// A state folder at `path`; its ledger is `ledger`, or the SQLite file inside it.
    public init(path: String, ledger: LedgerLocation? = nil) {
        self.path = path
        self.ledger = ledger ?? .file(path: (path as NSString).appendingPathComponent("ledger.sqlite"))
    }

    /// `explicit`, else `AGENTSCHED_STATE`, else `WORKSPACE/.agentsched`; the ledger on the
    /// server whose URL `ledgerURLVariable` holds, when given.
    public init(
        workspace: String, explicit: String?, ledgerURLVariable: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let path: String
        if let explicit {
            path = explicit
        } else if let fromEnvironment = environment["AGENTSCHED_STATE"], !fromEnvironment.isEmpty {
            path = fromEnvironment
        } else {
            path = (workspace as NSString).appendingPathComponent(".agentsched")
        }
        self.init(path: path, ledger: ledgerURLVariable.map { .server(variable: $0) })
    }

    /// Runs `body` with the workspace's ledger, creating (and migrating) it on first use, and
    /// closes the ledger's connections when `body` returns or throws.
    public func withLedger<T: Sendable>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (any Ledger) async throws -> T
    ) async throws -> T {
        switch ledger {
        case .file(let file):
            return try await body(SQLiteLedger(path: file))
        case .server(let variable):
            guard let url = environment[variable], !url.isEmpty else {
                throw LedgerError.unavailable(path: ledger.description, reason: "$\(variable) is not set")
            }
            let configuration: PostgresLedgerConfiguration
            do {
                configuration = try PostgresLedgerConfiguration(url: url, environment: environment)
            } catch {
                throw LedgerError.unavailable(path: ledger.description, reason: error.description)
            }
            return try await PostgresLedger.withLedger(configuration) { try await body($0) }
        }
    }

    /// Runs `body` with the workspace's ledger when it exists, or `nil`: reports read, and never
    /// create state.
    public func withExistingLedger<T: Sendable>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: ((any Ledger)?) async throws -> T
    ) async throws -> T {
        if case .file(let file) = ledger, !FileManager.default.fileExists(atPath: file) {
            return try await body(nil)
        }
        return try await withLedger(environment: environment) { try await body($0) }
    }
}
