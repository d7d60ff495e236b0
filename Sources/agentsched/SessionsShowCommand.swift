import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched sessions show ID [--format text|json]`.
struct SessionsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show everything about one session.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: SessionID

    @Option(help: "Output format.")
    var format: TextOrJSON = .text

    func run() async throws {
        let detailed = try await options.stateDirectory.withExistingLedger { ledger in
            guard let summary = try await SessionSummary.load(from: ledger).first(where: { $0.session.id == id }) else {
                throw CommandError("no session \(id)")
            }
            return try await summary.withRequests(from: ledger)
        }
        format == .json
            ? Console.exact(try StructuredOutput.json(detailed)) : Console.output(detailed.details(now: Date()))
    }
}
