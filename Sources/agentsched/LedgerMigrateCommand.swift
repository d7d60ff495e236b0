import AgentScheduler
import ArgumentParser

/// `agentsched ledger migrate`: applies the schema's migrations; safe to repeat, and safe when
/// several processes start at once.
struct LedgerMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the ledger's schema migrations (idempotent).")

    @OptionGroup var options: WorkspaceOptions

    func run() async throws {
        let state = try options.stateDirectory
        let version = try await state.withLedger { ledger in
            try await ledger.migrate()
            return try await ledger.schemaVersion()
        }
        Console.output("ledger at \(state.ledger): schema v\(version)")
    }
}
