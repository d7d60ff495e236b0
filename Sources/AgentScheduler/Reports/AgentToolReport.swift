import AgentSchedulerCore
import AgentSchedulerRuntime
import Foundation

/// What an agent would really be offered: its built-in tools, and each MCP server's tools as the
/// server lists them now, with every tool left out and why (`agents show NAME --tools`).
///
/// The servers are started for real, in a fresh empty folder (not a repository), with the
/// environment of this process filling their templates; they are stopped before `make` returns.
/// Values of `env` and `headers` never appear in the report.
public struct AgentToolReport: Sendable, Hashable, Encodable {
    /// One MCP server of the profile.
    public struct Server: Sendable, Hashable, Encodable {
        public var name: String
        /// `running`, `failed`, `forbidden`, `unused` or `disabled`.
        public var state: String
        /// Why it is not running, when it is not.
        public var reason: String?
        public var offered: [Tool]
        public var filtered: [Filtered]
    }

    /// A tool the model would get.
    public struct Tool: Sendable, Hashable, Encodable {
        public var name: String
        public var readOnly: Bool
        public var description: String

        enum CodingKeys: String, CodingKey {
            case name, description
            case readOnly = "read-only"
        }
    }

    /// A tool left out, and why.
    public struct Filtered: Sendable, Hashable, Encodable {
        public var tool: String
        public var reason: String
    }

    public var agent: String
    public var permission: AgentPermission
    /// The built-in tools, in canonical order.
    public var builtins: [String]
    public var servers: [Server]

    /// Starts `profile`'s servers, lists their tools, and stops them.
    public static func make(
        for profile: AgentProfile, environment: [String: String], executable: String
    ) async throws -> AgentToolReport {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "agentsched-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let toolset = MCPToolset(
            MCPToolset.Configuration(
                servers: profile.mcpServers, allowed: profile.tools, permission: profile.permission,
                environment: environment, executable: executable))
        let reports = await toolset.start(in: folder.path)
        await toolset.close()
        let builtins = Toolbox(tools: profile.tools, permission: profile.permission).tools.map(\.rawValue)
        return AgentToolReport(
            agent: profile.handle, permission: profile.permission, builtins: builtins,
            servers: reports.map(Server.init))
    }
}

extension AgentToolReport.Server {
    init(_ report: MCPToolset.ServerReport) {
        name = report.server
        offered = (report.selection?.offered ?? []).map {
            AgentToolReport.Tool(name: $0.modelName, readOnly: $0.readOnly, description: $0.description)
        }
        filtered = (report.selection?.filtered ?? []).map { AgentToolReport.Filtered(tool: $0.tool, reason: $0.reason) }
        switch report.state {
        case .running: (state, reason) = ("running", nil)
        case .unused: (state, reason) = ("unused", "the agent's tools name none of its tools")
        case .forbidden(let why): (state, reason) = ("forbidden", why)
        case .failed(let why): (state, reason) = ("failed", why)
        case .disabled(let why): (state, reason) = ("disabled", why)
        }
    }
}
