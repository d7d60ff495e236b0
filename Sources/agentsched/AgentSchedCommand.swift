import ArgumentParser
import Foundation
import Logging

/// The `agentsched` command: parses arguments, calls the libraries, prints.
@main
struct AgentSchedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentsched",
        abstract: "Schedule teams of AI coding agents under budgets, limits and permissions.",
        discussion: """
            A workspace holds agents/ (profiles), policies/ (one file per organisation, plus models.yaml) \
            and an optional agentsched.yaml.

            Exit codes: 0 success, 1 the work failed, 2 invalid input files, 64 bad command line.
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, AgentsCommand.self, PolicyCommand.self, AssignCommand.self, RunCommand.self,
            SessionsCommand.self, UsageCommand.self, BudgetCommand.self, DemoCommand.self,
        ]
    )

    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["AGENTSCHED_LOG_LEVEL"].flatMap(
                Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
