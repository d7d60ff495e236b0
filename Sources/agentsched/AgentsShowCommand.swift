import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerRuntime
import ArgumentParser
import Foundation

/// `agentsched agents show NAME [--format yaml|json] [--tools]`.
struct AgentsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one agent's effective profile, with extends merged.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The agent's handle (file name without extension) or exact name.")
    var name: String

    @Option(help: "Output format: yaml or json.")
    var format: ProfileFormat = .yaml

    @Flag(
        help: """
            Start the agent's MCP servers, and list the tools it would really get, with what was left \
            out and why.
            """)
    var tools = false

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
        guard tools else {
            Console.exact(format == .json ? try StructuredOutput.json(profile) : try StructuredOutput.yaml(profile))
            return
        }
        let report = try await AgentToolReport.make(
            for: profile, environment: ProcessInfo.processInfo.environment,
            executable: MCPToolset.currentExecutable)
        if format == .json {
            Console.exact(try StructuredOutput.json(report))
            return
        }
        Console.output("\(report.agent) (\(report.permission.rawValue)):")
        Console.output("  built-in: " + (report.builtins.isEmpty ? "none" : report.builtins.joined(separator: ", ")))
        for server in report.servers {
            Console.output("  \(server.name): \(server.state)" + (server.reason.map { " — \($0)" } ?? ""))
            for tool in server.offered {
                Console.output("    \(tool.name)\(tool.readOnly ? " (read-only)" : ""): \(tool.description)")
            }
            for left in server.filtered {
                Console.output("    left out \(left.tool): \(left.reason)")
            }
        }
    }
}
