import ArgumentParser

/// `agentsched sessions list|show ID|logs ID [--follow]|cancel ID|steer ID MESSAGE|follow-up ID MESSAGE`.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List sessions, show one, follow its event log, cancel or steer it, or follow it up.",
        subcommands: [
            SessionsListCommand.self, SessionsShowCommand.self, SessionsLogsCommand.self, SessionsCancelCommand.self,
            SessionsSteerCommand.self, SessionsFollowUpCommand.self,
        ],
        defaultSubcommand: SessionsListCommand.self
    )
}
