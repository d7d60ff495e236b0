import AgentSchedulerCore
import Foundation
import MCP

/// The MCP tools of one session: its profile's servers, started when the session starts, their
/// tools selected (`MCPToolSelection`), and every call to them made, timed and accounted for.
///
/// A server that fails to start leaves its tools out, and calling one is an error naming why. A
/// call that fails (the server exited, hung past the timeout, broke the protocol) is an error
/// result; after `failureLimit` such failures in a row the server is disabled for the rest of the
/// session, with one `mcp.server` event. `close()` ends every server; call it when the session ends.
///
/// Permissions are not checked here: `Toolbox` checks every call, MCP or built-in, in one place.
public actor MCPToolset {
    /// What the toolset starts, and how.
    public struct Configuration: Sendable {
        /// The profile's servers.
        public var servers: [MCPServerDeclaration]
        /// The profile's tool set, after `disallowed-tools`.
        public var allowed: ToolSet
        /// The session's permission when it starts: a read-only session is offered only read-only tools.
        public var permission: AgentPermission
        /// Servers the repository's policy forbids, with the reason; they are not started.
        public var forbidden: [String: String]
        /// agentsched's environment, which templates are filled from.
        public var environment: [String: String]
        /// This agentsched binary, for `command: agentsched` (`MCPToolset.currentExecutable` in
        /// the agentsched process).
        public var executable: String
        /// Per call, unless the server's declaration says otherwise.
        public var callTimeout: Duration = .seconds(60)
        /// For starting a server and listing its tools. Generous: 100 Python servers started at once
        /// on two cores took 51 s (mcp-bench), and `npx`/`uvx` servers may download on first start.
        public var startTimeout: Duration = .seconds(120)
        /// Failures in a row that disable a server.
        public var failureLimit = 3

        public init(
            servers: [MCPServerDeclaration], allowed: ToolSet, permission: AgentPermission,
            forbidden: [String: String] = [:], environment: [String: String], executable: String
        ) {
            self.servers = servers
            self.allowed = allowed
            self.permission = permission
            self.forbidden = forbidden
            self.environment = environment
            self.executable = executable
        }
    }

    /// Where one server stands.
    public enum ServerState: Sendable, Hashable {
        /// Started; its tools are listed.
        case running
        /// The agent's tools name none of its tools, so it is not started.
        case unused
        /// The repository's policy forbids it.
        case forbidden(String)
        /// It could not be started or listed.
        case failed(String)
        /// Disabled for the rest of the session after failing again and again.
        case disabled(String)
    }

    /// One server: where it stands and what of it is offered.
    public struct ServerReport: Sendable, Hashable {
        public var server: String
        public var state: ServerState
        public var selection: MCPToolSelection?
    }

    private let configuration: Configuration
    private let events: (any AgentEventSink)?
    private var connections: [String: MCPServerConnection] = [:]
    private var reports: [String: ServerReport] = [:]
    private var tools: [String: MCPTool] = [:]
    private var failures: [String: Int] = [:]

    /// The running program: what `command: agentsched` names when agentsched itself runs the
    /// servers.
    public static var currentExecutable: String {
        Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
    }

    public init(_ configuration: Configuration, events: (any AgentEventSink)? = nil) {
        self.configuration = configuration
        self.events = events
    }

    /// Starts every server the agent may use, at once, in `directory`, and lists their tools.
    ///
    /// Returns a report per declared server, sorted by name. Never throws: a failure is a report
    /// (and an event).
    @discardableResult
    public func start(in directory: String) async -> [ServerReport] {
        var starting: [(MCPServerDeclaration, MCPServerConnection)] = []
        for declaration in configuration.servers {
            if let reason = configuration.forbidden[declaration.name] {
                reports[declaration.name] = ServerReport(server: declaration.name, state: .forbidden(reason))
                await events?.emit(.mcpServer(server: declaration.name, state: "forbidden", detail: reason))
                continue
            }
            let used =
                configuration.allowed.allMCP || configuration.allowed.mcp.contains { $0.server == declaration.name }
            guard used else {
                reports[declaration.name] = ServerReport(server: declaration.name, state: .unused)
                continue
            }
            let launcher = MCPServerLauncher(
                declaration: declaration, directory: directory, environment: configuration.environment,
                executable: configuration.executable)
            let connection = MCPServerConnection(name: declaration.name) { () throws(MCPTransportError) in
                try launcher.transport()
            }
            connections[declaration.name] = connection
            starting.append((declaration, connection))
        }
        let timeout = configuration.startTimeout
        let listed = await withTaskGroup(of: (String, Result<[MCP.Tool], MCPCallFailure>).self) { group in
            for (declaration, connection) in starting {
                group.addTask {
                    // Assigned, then returned: returning from inside the typed `do`/`catch` loses the
                    // value under -O in Swift 6.3.1 (the release binary got no reports, then crashed).
                    let result: Result<[MCP.Tool], MCPCallFailure>
                    do throws(MCPCallFailure) {
                        result = .success(try await connection.tools(timeout: timeout))
                    } catch {
                        result = .failure(error)
                    }
                    return (declaration.name, result)
                }
            }
            var results: [String: Result<[MCP.Tool], MCPCallFailure>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
        for (declaration, _) in starting {
            switch listed[declaration.name] {
            case .success(let listed)?:
                let selection = MCPToolSelection(
                    listed: listed, declaration: declaration, allowed: configuration.allowed,
                    permission: configuration.permission)
                for tool in selection.offered { tools[tool.modelName] = tool }
                reports[declaration.name] = ServerReport(
                    server: declaration.name, state: .running, selection: selection)
                await events?.emit(
                    .mcpServer(
                        server: declaration.name, state: "started",
                        detail: "\(selection.offered.count) of \(listed.count) tools offered"
                            + (selection.filtered.isEmpty
                                ? ""
                                : "; left out: "
                                    + selection.filtered.map { "\($0.tool) (\($0.reason))" }.joined(separator: ", "))))
            case .failure(let failure)?:
                reports[declaration.name] = ServerReport(server: declaration.name, state: .failed(failure.description))
                await events?.emit(.mcpServer(server: declaration.name, state: "failed", detail: failure.description))
            case nil:
                break
            }
        }
        return reports.values.sorted { $0.server < $1.server }
    }

    /// Every server's report, sorted by name.
    public var serverReports: [ServerReport] { reports.values.sorted { $0.server < $1.server } }

    /// The definitions of the offered tools, sorted by model name.
    public var definitions: [ToolDefinition] {
        tools.values.sorted { $0.modelName < $1.modelName }.map(\.definition)
    }

    /// The definitions to send with the next request: first lists again, and selects again, the
    /// tools of every running server that sent `notifications/tools/list_changed`.
    public func currentDefinitions() async -> [ToolDefinition] {
        for declaration in configuration.servers {
            guard case .running? = reports[declaration.name]?.state, let connection = connections[declaration.name],
                await connection.toolsChanged
            else { continue }
            do throws(MCPCallFailure) {
                let listed = try await connection.tools(timeout: configuration.startTimeout)
                let selection = MCPToolSelection(
                    listed: listed, declaration: declaration, allowed: configuration.allowed,
                    permission: configuration.permission)
                for (name, tool) in tools where tool.server == declaration.name { tools[name] = nil }
                for tool in selection.offered { tools[tool.modelName] = tool }
                reports[declaration.name]?.selection = selection
                await events?.emit(
                    .mcpServer(
                        server: declaration.name, state: "tools-changed",
                        detail: "\(selection.offered.count) of \(listed.count) tools offered"))
            } catch {
                // The old list stays; a call that fails counts against the server as usual.
            }
        }
        return definitions
    }

    /// The offered tool the model calls `name`, if any.
    public func tool(named name: String) -> MCPTool? { tools[name] }

    /// Why `name`, which looks like `server__tool`, cannot be called, when its server is declared
    /// but not running; `nil` otherwise.
    public func unavailability(of name: String) -> String? {
        guard let split = name.range(of: "__") else { return nil }
        let server = String(name[..<split.lowerBound])
        switch reports[server]?.state {
        case .failed(let reason)?: return "the MCP server \(server) could not be started: \(reason)"
        case .disabled(let reason)?: return "the MCP server \(server) is disabled for this session: \(reason)"
        case .forbidden(let reason)?: return "the MCP server \(server) is not allowed here: \(reason)"
        case .running?, .unused?, nil: return nil
        }
    }

    /// Calls `tool` with the model's `arguments` (a JSON object); the output is cut to
    /// `outputLimit` bytes with a note.
    public func call(_ tool: MCPTool, arguments: JSONValue, outputLimit: Int) async -> ToolResult {
        let started = ContinuousClock.now
        func record(_ outcome: MCPCallRecord.Outcome) -> MCPCallRecord {
            MCPCallRecord(
                server: tool.server, tool: tool.name, duration: ContinuousClock.now - started, outcome: outcome)
        }
        if case .disabled(let reason)? = reports[tool.server]?.state {
            return ToolResult(
                output:
                    "Error: the MCP server \(tool.server) is disabled for this session: \(reason). Go on without it.",
                isError: true, mcpCall: record(.disabled))
        }
        guard let connection = connections[tool.server] else {
            return ToolResult(output: "Error: the MCP server \(tool.server) is not running.", isError: true)
        }
        guard let values = Self.arguments(arguments) else {
            return ToolResult(output: "Error: the arguments must be a JSON object.", isError: true)
        }
        let timeout =
            configuration.servers.first { $0.name == tool.server }?.timeout?.duration ?? configuration.callTimeout
        let answer: Result<CallTool.Result, MCPCallFailure>
        do throws(MCPCallFailure) {
            answer = .success(try await connection.call(tool.name, arguments: values, timeout: timeout))
        } catch {
            answer = .failure(error)
        }
        switch answer {
        case .success(let result):
            failures[tool.server] = 0
            let (text, truncated) = ToolOutput.truncate(
                MCPContent.text(of: result), limit: outputLimit,
                hint: "the MCP tool's answer was longer; ask it for less (a narrower query, a smaller page)")
            let isError = result.isError == true
            return ToolResult(
                output: text.isEmpty ? "(no output)" : text, isError: isError, truncated: truncated,
                mcpCall: record(isError ? .errorResult : .ok))
        case .failure(let error):
            if Task.isCancelled {
                return ToolResult(
                    output: "Not finished: the session was cancelled.", isError: true, mcpCall: record(.cancelled))
            }
            var output = "Error: the MCP server \(tool.server) did not answer \(tool.name): \(error)."
            if error.countsAgainstServer {
                let count = (failures[tool.server] ?? 0) + 1
                failures[tool.server] = count
                if count >= configuration.failureLimit {
                    let reason = "\(count) calls failed in a row, the last one: \(error)"
                    reports[tool.server]?.state = .disabled(reason)
                    for (name, offered) in tools where offered.server == tool.server { tools[name] = nil }
                    await connection.close()
                    await events?.emit(.mcpServer(server: tool.server, state: "disabled", detail: reason))
                    output += " The server is disabled for the rest of this session; go on without it."
                }
            }
            if case .timedOut = error { return ToolResult(output: output, isError: true, mcpCall: record(.timedOut)) }
            return ToolResult(output: output, isError: true, mcpCall: record(.failed))
        }
    }

    /// Ends every server.
    public func close() async {
        let all = Array(connections.values)
        connections = [:]
        await withTaskGroup(of: Void.self) { group in
            for connection in all { group.addTask { await connection.close() } }
        }
    }

    /// The model's arguments as the SDK's values; they must be a JSON object.
    static func arguments(_ arguments: JSONValue) -> [String: Value]? {
        guard case .object = arguments, let data = try? JSONEncoder().encode(arguments) else { return nil }
        return try? JSONDecoder().decode([String: Value].self, from: data)
    }
}
