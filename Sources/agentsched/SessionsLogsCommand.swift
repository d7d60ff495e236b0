import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser

/// `agentsched sessions logs ID [--follow]`: the session's event log as readable lines, with the
/// budget alerts its organisation crossed while it was open, in the order they happened.
struct SessionsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a session's event log, one event per line.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: SessionID

    @Flag(help: "Keep printing new events until the session ends (it may run in another process).")
    var follow = false

    func run() async throws {
        try await options.stateDirectory.withExistingLedger { ledger in
            guard let ledger, let session = try await ledger.session(id) else { throw CommandError("no session \(id)") }
            var last: Int64 = 0
            var lastAlert: Int64 = 0
            while true {
                let events = try await ledger.events(session: id, after: last)
                let current = try await ledger.session(id) ?? session
                let alerts = try await ledger.alerts(org: session.org, since: session.createdAt, after: lastAlert)
                    .filter {
                        event in
                        // An alert after the session ended is not part of its story.
                        !(current.finishedAt.map { event.at > $0 } ?? false)
                    }
                for event in (events + alerts).sorted(by: { $0.id < $1.id }) {
                    Console.output(TerminalText.visible(event.line, layout: .singleLine))
                }
                last = events.last?.id ?? last
                lastAlert = alerts.last?.id ?? lastAlert
                guard follow else { return }
                if let session = try await ledger.session(id), session.state.isFinal, events.isEmpty { return }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
