import ArgumentParser

/// `agentsched agents list|show NAME`.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "List the team's agents or show one, with extends merged.",
        subcommands: [AgentsListCommand.self, AgentsShowCommand.self],
        defaultSubcommand: AgentsListCommand.self
    )
}
