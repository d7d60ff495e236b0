import AgentSchedulerTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `agentsched mcp-server changelog` through the built binary: newline-delimited JSON-RPC on its
/// standard input and output, as an MCP client in another process would speak it.
@Suite("agentsched mcp-server, end to end")
struct MCPServerCommandTests {
    static let initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
        "clientInfo":{"name":"e2e","version":"1.0"}}}
        """
    static let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
    static let listTools = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
    static let addEntry = """
        {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"add_entry",\
        "arguments":{"kind":"Fixed","text":"The server answers over stdio."}}}
        """
    static let unknownTool = """
        {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"rm_rf","arguments":{}}}
        """

    @Test("a client initializes, lists the tools, adds an entry; the server exits when its input closes")
    func conversation() async throws {
        let folder = try TemporaryWorkspace(empty: true)
        let logs = try TemporaryWorkspace(empty: true)
        let errors = logs.url.appendingPathComponent("stderr")
        let program = try SpawnedProgram(
            executable: AgentschedProcess.executable.path, arguments: ["mcp-server", "changelog"],
            directory: folder.url, environment: ProcessInfo.processInfo.environment, standardInput: .pipe,
            standardOutput: .pipe, standardError: .file(errors))
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            program.signal(SIGKILL)
        }
        defer { watchdog.cancel() }
        let answers = LineReader(program.output!)
        func send(_ line: String) throws {
            try program.input!.write(contentsOf: Data((line + "\n").utf8))
        }
        func answer() async throws -> [String: Any] {
            let line = try #require(await answers.next(), "the server closed its output")
            return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }

        try send(Self.initialize)
        let initialized = try await answer()
        #expect(initialized["id"] as? Int == 1)
        let server = try #require(initialized["result"] as? [String: Any], "\(initialized)")
        #expect(server["protocolVersion"] as? String == "2025-06-18")
        #expect((server["serverInfo"] as? [String: Any])?["name"] as? String == "agentsched-changelog")
        #expect((server["capabilities"] as? [String: Any])?["tools"] != nil)
        try send(Self.initialized)

        try send(Self.listTools)
        let listed = try await answer()
        #expect(listed["id"] as? Int == 2)
        let tools = try #require((listed["result"] as? [String: Any])?["tools"] as? [[String: Any]], "\(listed)")
        #expect(tools.compactMap { $0["name"] as? String } == ["read_changelog", "add_entry"])
        let add = try #require(tools.first { $0["name"] as? String == "add_entry" })
        #expect((add["inputSchema"] as? [String: Any])?["additionalProperties"] as? Bool == false)
        #expect((add["annotations"] as? [String: Any])?["readOnlyHint"] as? Bool == false)

        try send(Self.addEntry)
        let called = try await answer()
        #expect(called["id"] as? Int == 3)
        let result = try #require(called["result"] as? [String: Any], "\(called)")
        #expect(result["isError"] as? Bool == false)
        let content = try #require(result["content"] as? [[String: Any]])
        #expect((content.first?["text"] as? String)?.contains("### Fixed") == true)

        try send(Self.unknownTool)
        let refused = try await answer()
        #expect(refused["id"] as? Int == 4)
        #expect((refused["error"] as? [String: Any])?["code"] as? Int == -32602)

        try program.input!.close()
        #expect(await answers.next() == nil)
        var termination = program.termination
        while termination == nil {
            try await Task.sleep(for: .milliseconds(20))
            termination = program.termination
        }
        #expect(termination == .exited(0), "\((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")

        let changelog = try String(contentsOf: folder.url.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(changelog.hasPrefix("# Changelog\n"))
        #expect(changelog.hasSuffix("## [Unreleased]\n\n### Fixed\n\n- The server answers over stdio.\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["CHANGELOG.md"])
    }

    @Test("requests piped in at once are all answered before the server exits at the end of its input")
    func pipedRequests() async throws {
        let folder = try TemporaryWorkspace(empty: true)
        let input = [Self.initialize, Self.initialized, Self.listTools, Self.addEntry].joined(separator: "\n") + "\n"
        let outcome = try await TestProcess.run(
            [AgentschedProcess.executable.path, "mcp-server", "changelog"], in: folder.url, input: Data(input.utf8))
        #expect(outcome.status == 0, "\(outcome.errors)")
        let ids = outcome.output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int
        }
        #expect(ids.sorted() == [1, 2, 3], "\(outcome.output)")
        let changelog = try String(contentsOf: folder.url.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(changelog.contains("- The server answers over stdio.\n"))
    }

    @Test("only the servers that ship with agentsched run; the command stays out of the help")
    func unknownServer() async throws {
        let folder = try TemporaryWorkspace(empty: true)
        let unknown = try await folder.run("mcp-server", "postgres")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no MCP server named 'postgres'"))
        #expect(unknown.stdout.isEmpty)
        let help = try await folder.run("--help")
        #expect(!help.stdout.contains("mcp-server"))
    }
}

/// Reads a pipe line by line, each read on a thread of its own so no cooperative thread blocks.
private final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var pending = Data()

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// The next line, without its newline; `nil` at the end of the output. Calls must not overlap.
    func next() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in continuation.resume(returning: blockingNext()) }
        }
    }

    private func blockingNext() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            guard let chunk = TestProcess.readSome(handle), !chunk.isEmpty else { return nil }
            pending.append(chunk)
        }
    }
}
