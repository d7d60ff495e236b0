import AgentScheduler
import ArgumentParser
import Foundation

/// `agentsched mcp-server NAME`: runs one of the MCP servers that ship with agentsched, on standard
/// input and output, in the current folder. Hidden: agents start it, people do not.
struct MCPServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp-server",
        abstract: "Run an MCP server that ships with agentsched, on standard input and output.",
        discussion: """
            An agent's profile declares it as `command: agentsched` with `args: [mcp-server, NAME]`; it works on \
            the files of its current folder (the session's worktree) and on no others, needs nothing online, and \
            exits when its standard input closes. Servers: changelog (read_changelog, add_entry on CHANGELOG.md).
            """,
        shouldDisplay: false)

    @Argument(help: "The server to run: changelog.")
    var name: String

    func run() async throws {
        switch name {
        case ChangelogServer.name:
            let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            try await ChangelogServer(folder: folder).runOnStandardIO()
        default:
            throw CommandError(
                "no MCP server named '\(name)' ships with agentsched; there is: \(ChangelogServer.name)",
                exitCode: .validationFailure)
        }
    }
}
