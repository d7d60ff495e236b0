import AgentSchedulerCore
import Foundation

/// How a session starts one declared MCP server: the transport, with the declaration's templates
/// filled from agentsched's environment at that moment, into that server only.
///
/// A stdio server runs in `directory` (the session's worktree) with the environment `execute`
/// gets (`PATH`, `LANG`, `HOME` set to the worktree, `TERM=dumb`; nothing else of this process)
/// plus its declared `env`, which may carry secrets because the profile put them there.
/// `command: agentsched` runs this agentsched binary (`executable`).
struct MCPServerLauncher: Sendable {
    var declaration: MCPServerDeclaration
    var directory: String
    var environment: [String: String]
    var executable: String

    /// A fresh transport for the server; throws when a variable is unset or the URL is not HTTP.
    func transport() throws(MCPTransportError) -> any MCPConnectionTransport {
        switch declaration.transport {
        case .stdio(let command, let arguments, let declared):
            var environment = ExecuteTool.environment(root: directory, extra: [:])
            for (name, template) in declared {
                environment[name] = try fill(template)
            }
            let program = ChildProcess(
                executable: command == "agentsched" ? executable : command, arguments: arguments,
                environment: environment, directory: directory)
            return MCPStdioTransport(program: program)
        case .http(let url, let declared):
            let address = try fill(url)
            guard let scheme = URL(string: address)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                throw .spawnFailed("its url is not an http or https address")
            }
            var headers: [(String, String)] = []
            for (name, template) in declared.sorted(by: { $0.key < $1.key }) {
                headers.append((name, try fill(template)))
            }
            return MCPHTTPTransport(url: address, headers: headers)
        }
    }

    private func fill(_ template: EnvironmentTemplate) throws(MCPTransportError) -> String {
        do {
            return try template.resolve(environment)
        } catch {
            throw .spawnFailed("\(error)")
        }
    }
}
