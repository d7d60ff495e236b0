import ArgumentParser

/// `agentsched ledger migrate|check`.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Migrate the ledger's schema, or check its invariants.",
        subcommands: [LedgerMigrateCommand.self, LedgerCheckCommand.self]
    )
}
