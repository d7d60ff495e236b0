import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched sessions list [--state S] [--format table|json]`.
struct SessionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List sessions: state, org, repository, issue, agent, model, spend, age.")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Only sessions in this state (queued, running, completed, denied, blocked, …).")
    var state: String?

    @Option(help: "Output format.")
    var format: TableOrJSON = .table

    func validate() throws {
        if let state, SessionState(rawValue: state) == nil {
            let hint = Suggestion.hint(for: state, among: SessionState.allCases.map(\.rawValue)).map { "; \($0)" } ?? ""
            throw ValidationError("'\(state)' is not a session state\(hint)")
        }
    }

    func run() async throws {
        let states: Set<SessionState> = state.flatMap(SessionState.init(rawValue:)).map { [$0] } ?? []
        let summaries = try await options.stateDirectory.withExistingLedger {
            try await SessionSummary.load(from: $0, states: states)
        }
        switch format {
        case .table: Console.output(SessionSummary.table(summaries, now: Date()))
        case .json: Console.exact(try StructuredOutput.json(summaries))
        }
    }
}
