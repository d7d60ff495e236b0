import AgentScheduler
import AgentSchedulerLedger
import ArgumentParser

/// `agentsched sessions logs ID`: the session's event log as readable lines.
struct SessionsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a session's event log, one event per line.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: Int64

    func run() async throws {
        guard let ledger = try options.stateDirectory.existingLedger(), try await ledger.session(id) != nil else {
            Console.error("error: no session \(id)")
            throw ExitCode.workFailed
        }
        for event in try await ledger.events(session: id, after: 0) {
            Console.output(event.line)
        }
    }
}
