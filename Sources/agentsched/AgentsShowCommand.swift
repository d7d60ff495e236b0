import AgentSchedulerCore
import ArgumentParser

/// `agentsched agents show NAME [--format yaml|json]`.
struct AgentsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one agent's effective profile, with extends merged.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The agent's handle (file name without extension) or exact name.")
    var name: String

    @Option(help: "Output format: yaml or json.")
    var format: ProfileFormat = .yaml

    func validate() throws {
        if format == .table {
            throw ValidationError("'agents show' prints yaml or json")
        }
    }

    func run() async throws {
        let team = try options.loadValidWorkspace().team
        guard let profile = team.profile(named: name) else {
            let hint = Suggestion.hint(for: name, among: team.allNames).map { "; \($0)" } ?? ""
            throw CommandError("no agent named '\(name)'\(hint)")
        }
        Console.exact(format == .json ? try StructuredOutput.json(profile) : try StructuredOutput.yaml(profile))
    }
}
