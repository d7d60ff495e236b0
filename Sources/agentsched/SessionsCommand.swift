import ArgumentParser

/// `agentsched sessions list|show ID|logs ID`.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List sessions, show one, or print its event log.",
        subcommands: [SessionsListCommand.self, SessionsShowCommand.self, SessionsLogsCommand.self],
        defaultSubcommand: SessionsListCommand.self
    )
}
