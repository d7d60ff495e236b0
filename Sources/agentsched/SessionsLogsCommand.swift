import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser

/// `agentsched sessions logs ID [--follow]`: the session's event log as readable lines.
struct SessionsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a session's event log, one event per line.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: Int64

    @Flag(help: "Keep printing new events until the session ends (it may run in another process).")
    var follow = false

    func run() async throws {
        guard let ledger = try options.stateDirectory.existingLedger(), try await ledger.session(id) != nil else {
            Console.error("error: no session \(id)")
            throw ExitCode.workFailed
        }
        var last: Int64 = 0
        while true {
            let events = try await ledger.events(session: id, after: last)
            for event in events {
                Console.output(TerminalText.visible(event.line, layout: .singleLine))
            }
            last = events.last?.id ?? last
            guard follow else { return }
            if let session = try await ledger.session(id), session.state.isFinal, events.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
