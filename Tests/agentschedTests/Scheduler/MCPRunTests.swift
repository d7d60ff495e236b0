import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

/// Sessions that call MCP tools of the official Python SDK's server, end to end through the built
/// binary, with the fake model server calling `fixture__TOOL`.
@Suite(
    "MCP tools in a run: allow-lists, read-only sessions, policy, secrets, failures, cancel", .serialized,
    .enabled(if: MCPPeer.enabled))
struct MCPRunTests {
    static let secret = "mcp-secret-4e9a71c3b2"

    /// A profile `mcp-user` on the paid model with the fixture server declared.
    static func profile(
        tools: String, disallowed: String = "[]", permission: String = "write", timeout: String? = nil
    ) throws -> String {
        let python = try MCPPeer.requirePython()
        return """
            name: mcp-user
            description: Uses the fixture MCP server.
            model: claude-sonnet-4.5
            tools: \(tools)
            disallowed-tools: \(disallowed)
            permissions: \(permission)
            mcp-servers:
              fixture:
                type: local
                command: \(python)
                args: [\(MCPPeer.fixtureScript), stdio]
                env:
                  FIXTURE_TOKEN: ${MCP_FIXTURE_SECRET}
            \(timeout.map { "    timeout: \($0)" } ?? "")
            prompt: Use the fixture's tools.
            """
    }

    /// Runs the session of issue 1, assigned to `mcp-user`, to its end.
    static func runSession(
        _ fixture: borrowing RunFixture, profile: String, policy: String? = nil
    ) async throws -> AgentschedProcess.Result {
        try fixture.workspace.write("agents/mcp-user.yaml", profile)
        if let policy { try fixture.workspace.write("policies/acme.yaml", policy) }
        let environment = RunFixture.environment.merging(["MCP_FIXTURE_SECRET": secret]) { $1 }
        let assign = try await BackgroundAgentsched.run(
            ["assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Use the tools", "--agent", "mcp-user"],
            in: fixture.workspace.url, environment: environment)
        #expect(assign.status == 0, "\(assign.stderr)")
        return try await BackgroundAgentsched.run(
            ["run", "--until-idle", "--progress", "plain"], in: fixture.workspace.url, environment: environment)
    }

    /// The tool names the model was offered in its first request.
    static func offered(_ server: FakeModelServer) -> [String] {
        let tools = server.requests(for: "paid").first?.json?["tools"]?.arrayValue ?? []
        return tools.compactMap { $0["function"]?["name"]?.stringValue ?? $0["name"]?.stringValue }
    }

    @Test(
        "server/tool and disallowed-tools choose what the model is offered; an offered tool answers, a removed one is refused"
    )
    func allowLists() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("fixture__echo", #"{"text":"hello from the model"}"#)]),
                    .toolCalls([("fixture__write_note", #"{"name":"NOTE.md","text":"x"}"#)]),
                    .text("Done."),
                ], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let run = try await Self.runSession(
                fixture,
                profile: try Self.profile(
                    tools: #"[read, "fixture/echo", "fixture/write_note", "mcp__fixture__unannotated"]"#,
                    disallowed: #"["fixture/write_note"]"#))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                Self.offered(server).filter { $0.hasPrefix("fixture__") } == ["fixture__echo", "fixture__unannotated"])
            let events = try await fixture.ledger().events(session: 1, after: 0)
            let result = try #require(events.first { $0.kind == .toolResult && $0.data["tool"] == "fixture__echo" })
            #expect(result.data["output"] == "hello from the model")
            let call = try #require(events.first { $0.kind == .mcpCall })
            #expect(call.data["server"] == "fixture" && call.data["tool"] == "echo" && call.data["outcome"] == "ok")
            #expect(Int(call.data["duration_ms"] ?? "") != nil)
            #expect(events.contains { $0.kind == .toolRefused && $0.data["tool"] == "fixture__write_note" })
            #expect(
                !FileManager.default.fileExists(
                    atPath: fixture.workspace.url.appendingPathComponent(".agentsched/worktrees/1/NOTE.md").path))
            let logs = try await BackgroundAgentsched.run(["sessions", "logs", "1"], in: fixture.workspace.url)
            #expect(logs.stdout.contains("mcp.call"), "\(logs.stdout)")
            #expect(try await fixture.ledger().session(1)?.state == .completed)
            #expect(run.stdout.contains("MCP calls: fixture 1"), "\(run.stdout)")
        }
    }

    @Test("agents show --tools starts the servers and lists what the agent would get, and what not and why")
    func showTools() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            "agents/mcp-user.yaml",
            try Self.profile(
                tools: #"[read, "fixture/echo", "fixture/write_note"]"#, disallowed: #"["fixture/write_note"]"#))
        try workspace.write(
            "agents/broken.yaml",
            """
            name: broken
            description: A server whose command does not exist.
            tools: ["gone/*"]
            mcp-servers:
              gone: { command: /nonexistent/mcp-server }
            prompt: x
            """)
        let environment = ["MCP_FIXTURE_SECRET": Self.secret]
        let text = try await BackgroundAgentsched.run(
            ["agents", "show", "mcp-user", "--tools"], in: workspace.url, environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("fixture: running"), "\(text.stdout)")
        #expect(text.stdout.contains("fixture__echo (read-only): Returns the text it was given."))
        #expect(text.stdout.contains("left out write_note: not in the agent's tools"))
        #expect(text.stdout.contains("left out crash: not in the agent's tools"))
        #expect(!text.stdout.contains(Self.secret))
        let json = try await BackgroundAgentsched.run(
            ["agents", "show", "mcp-user", "--tools", "--format", "json"], in: workspace.url,
            environment: environment)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let servers = report?["servers"] as? [[String: Any]]
        #expect(servers?.first?["state"] as? String == "running")
        let offered = (servers?.first?["offered"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(offered == ["fixture__echo"])
        let failed = try await BackgroundAgentsched.run(
            ["agents", "show", "broken", "--tools"], in: workspace.url, environment: environment)
        #expect(failed.stdout.contains("gone: failed — the server could not be started"), "\(failed.stdout)")
    }

    @Test("a read-only session is offered only the tools the server marks read-only, and a write tool is refused")
    func readOnly() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("fixture__write_note", #"{"name":"NOTE.md","text":"x"}"#)]),
                    .toolCalls([("fixture__unannotated", #"{"text":"x"}"#)]),
                    .text("Read only."),
                ], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let run = try await Self.runSession(
                fixture, profile: try Self.profile(tools: #"["fixture/*"]"#, permission: "read-only"))
            #expect(run.status == 0, "\(run.stderr)")
            let offered = Self.offered(server)
            #expect(offered.contains("fixture__echo"))
            #expect(!offered.contains("fixture__write_note") && !offered.contains("fixture__unannotated"))
            let events = try await fixture.ledger().events(session: 1, after: 0)
            #expect(
                events.filter { $0.kind == .toolRefused }.compactMap { $0.data["tool"] } == [
                    "fixture__write_note", "fixture__unannotated",
                ])
            #expect(!events.contains { $0.kind == .mcpCall })
        }
    }

    @Test("a repository whose policy lists no MCP servers starts none, and says why")
    func policyForbidsServer() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.toolCalls([("fixture__echo", #"{"text":"x"}"#)]), .text("No server.")], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let policy = RunFixture.policy(budget: 10).replacingOccurrences(
                of: #"    agents: ["*"]"#, with: "    agents: [\"*\"]\n    mcp-servers: [github]")
            let run = try await Self.runSession(
                fixture, profile: try Self.profile(tools: #"["fixture/*"]"#), policy: policy)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!Self.offered(server).contains { $0.hasPrefix("fixture__") })
            let events = try await fixture.ledger().events(session: 1, after: 0)
            let forbidden = try #require(events.first { $0.kind == .mcpServer })
            #expect(forbidden.data["state"] == "forbidden")
            let refused = try #require(events.first { $0.kind == .toolRefused })
            #expect(refused.data["reason"]?.contains("not allowed here") == true)
        }
    }

    @Test("a secret in env reaches the server and only it: never an event, a log, the conversation or the output")
    func secretInEnvironment() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("fixture__env_digest", #"{"name":"FIXTURE_TOKEN"}"#)]),
                    .toolCalls([("fixture__environment_names", "{}")]),
                    .text("Checked."),
                ], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let run = try await Self.runSession(fixture, profile: try Self.profile(tools: #"["fixture/*"]"#))
            #expect(run.status == 0, "\(run.stderr)")
            let events = try await fixture.ledger().events(session: 1, after: 0)
            let results = events.filter { $0.kind == .toolResult }.compactMap { $0.data["output"] }
            let bytes = Array(Self.secret.utf8)
            let digest = "\(bytes.count):\(bytes.reduce(0) { $0 + Int($1) } % 65521)"
            #expect(results.first == digest)
            // The scrubbed environment of execute, plus the declared variable, and nothing else of agentsched's.
            let names = Set((results.last ?? "").split(separator: " ").map(String.init))
            #expect(names.contains("FIXTURE_TOKEN") && names.contains("PATH"))
            #expect(!names.contains("AGENTSCHED_FAKE_KEY") && !names.contains("MCP_FIXTURE_SECRET"))
            let everything = try Self.allText(in: fixture.workspace.url.appendingPathComponent(".agentsched"))
            #expect(!everything.contains(Self.secret))
            #expect(!run.stdout.contains(Self.secret) && !run.stderr.contains(Self.secret))
            let show = try await BackgroundAgentsched.run(
                ["agents", "show", "mcp-user"], in: fixture.workspace.url,
                environment: ["MCP_FIXTURE_SECRET": Self.secret])
            #expect(
                !show.stdout.contains(Self.secret) && show.stdout.contains("${MCP_FIXTURE_SECRET}"), "\(show.stdout)")
        }
    }

    @Test("a crashing server is a tool error each time, then disabled with one event; the session carries on")
    func crashingServer() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("fixture__crash", "{}")]),
                    .toolCalls([("fixture__crash", "{}")]),
                    .toolCalls([("fixture__crash", "{}")]),
                    .toolCalls([("fixture__echo", #"{"text":"x"}"#)]),
                    .text("Went on without it."),
                ], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let run = try await Self.runSession(fixture, profile: try Self.profile(tools: #"["fixture/*"]"#))
            #expect(run.status == 0, "\(run.stderr)")
            let events = try await fixture.ledger().events(session: 1, after: 0)
            let outputs = events.filter { $0.kind == .toolResult }.compactMap { $0.data["output"] }
            #expect(outputs.prefix(3).allSatisfy { $0.contains("exit status 3") && $0.contains("crashing on purpose") })
            #expect(events.filter { $0.kind == .mcpServer && $0.data["state"] == "disabled" }.count == 1)
            #expect(
                events.filter { $0.kind == .mcpCall }.compactMap { $0.data["outcome"] } == [
                    "failed", "failed", "failed",
                ])
            #expect(events.contains { $0.kind == .toolRefused && $0.data["tool"] == "fixture__echo" })
            #expect(try await fixture.ledger().session(1)?.state == .completed)
        }
    }

    @Test("a hanging call is cut at the server's timeout and cancelled there; the session carries on")
    func hangingServer() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("fixture__slow", #"{"seconds":120}"#)]),
                    .toolCalls([("fixture__echo", #"{"text":"still serving"}"#)]),
                    .text("Done."),
                ], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            let started = ContinuousClock.now
            let run = try await Self.runSession(
                fixture, profile: try Self.profile(tools: #"["fixture/*"]"#, timeout: "2s"))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(ContinuousClock.now - started < .seconds(110))  // the slow call alone is 120 s
            let events = try await fixture.ledger().events(session: 1, after: 0)
            let outputs = events.filter { $0.kind == .toolResult }.compactMap { $0.data["output"] }
            #expect(outputs.first?.contains("no answer within 2 s") == true, "\(outputs)")
            #expect(outputs.last == "still serving")
            #expect(events.filter { $0.kind == .mcpCall }.compactMap { $0.data["outcome"] } == ["timed-out", "ok"])
        }
    }

    @Test("cancelling a session during a long MCP call ends it at once")
    func cancelDuringCall() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.toolCalls([("fixture__slow", #"{"seconds":300}"#)]), .text("never")], for: "paid")
            let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
            try fixture.workspace.write("agents/mcp-user.yaml", try Self.profile(tools: #"["fixture/*"]"#))
            let environment = RunFixture.environment.merging(["MCP_FIXTURE_SECRET": Self.secret]) { $1 }
            let assign = try await BackgroundAgentsched.run(
                ["assign", "--repo", "acme/webapp", "--issues", "1", "--title", "t", "--agent", "mcp-user"],
                in: fixture.workspace.url, environment: environment)
            #expect(assign.status == 0, "\(assign.stderr)")
            let run = try BackgroundAgentsched(
                ["run", "--until-idle", "--progress", "none"], in: fixture.workspace.url, environment: environment)
            try await fixture.waitForToolCall()
            try await Task.sleep(for: .milliseconds(500))
            let cancelled = ContinuousClock.now
            let cancel = try await BackgroundAgentsched.run(["sessions", "cancel", "1"], in: fixture.workspace.url)
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(try await run.wait().status == 0)
            #expect(ContinuousClock.now - cancelled < .seconds(150))  // the call alone is 300 s
            #expect(try await fixture.ledger().session(1)?.state == .cancelled)
        }
    }

    /// Every file's text under `folder`.
    static func allText(in folder: URL) throws -> String {
        var text = ""
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if let data = try? Data(contentsOf: file) { text += String(decoding: data, as: UTF8.self) }
        }
        return text
    }
}
