import AgentSchedulerCore
import AgentSchedulerLedger
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
            SessionsCommand.self, SyncCommand.self, UsageCommand.self, BudgetCommand.self, DemoCommand.self,
            ServeCommand.self, MCPServerCommand.self, LedgerCommand.self,
        ]
    )

    /// The composition root: hardens the process, installs the redactor, then runs the command.
    ///
    /// The redactor starts with the secrets the environment alone names (the forge token) and, once
    /// the command's workspace is known, learns its models' keys and the database password.
    static func main() async {
        ProcessHardening.makeNonDumpable()
        let environment = ProcessInfo.processInfo.environment
        Console.install(Redactor(workspace: nil, environment: environment))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = environment["AGENTSCHED_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .warning
            return RedactingLogHandler(base: handler) { Console.installedRedactor }
        }
        do {
            var command = try parseAsRoot()
            if let options = WorkspaceOptions.of(command) {
                Console.install(
                    Redactor(
                        workspace: WorkspaceLoader(root: options.workspace).load(), environment: environment,
                        ledgerURLVariable: options.ledgerURLEnv))
            }
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CommandError {
            Console.error("error: \(error.message)")
            exit(withError: error.exitCode)
        } catch let error as LedgerError {
            // A ledger that cannot be used stops any command the same way: one line, exit 1.
            Console.error("error: \(error)")
            exit(withError: ExitCode.workFailed)
        } catch {
            exit(withError: error)
        }
    }
}
