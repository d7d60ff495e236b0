import ArgumentParser

/// `agentsched policy show [ORG]`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show organisation policies.",
        subcommands: [PolicyShowCommand.self],
        defaultSubcommand: PolicyShowCommand.self
    )
}
