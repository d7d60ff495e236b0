import AgentSchedulerCore
import ArgumentParser

/// `agentsched agents list [--format table|json|yaml]`.
struct AgentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the team's agents.")

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Output format.")
    var format: ProfileFormat = .table

    func run() async throws {
        let team = try options.loadValidWorkspace().team
        switch format {
        case .table: Console.output(team.table().render())
        case .json: Console.exact(try StructuredOutput.json(team.profiles))
        case .yaml: Console.exact(try StructuredOutput.yaml(team.profiles))
        }
    }
}
