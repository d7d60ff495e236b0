import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched run against a llama.cpp-like server: sessions really use their tools")
    struct LocalServerRunTests {
        static let readReadme = FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)])

        /// The fixture's catalog with `extra` added to every model.
        static func catalog(_ server: FakeModelServer, extra: String) -> String {
            RunFixture.catalog(server).split(separator: "\n", omittingEmptySubsequences: false).map { line in
                guard line.hasSuffix("timeout: 30s") else { return String(line) }
                return "\(line)\n\(line.prefix { $0 == " " })\(extra)"
            }.joined(separator: "\n")
        }

        /// Runs issue 1 to its end and returns the kinds of its events and the requests the server saw.
        static func runOne(
            _ fixture: borrowing RunFixture
        ) async throws -> (run: AgentschedProcess.Result, events: [LedgerEvent]) {
            try await fixture.assignOne()
            let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
            let events = try await fixture.ledger().events(session: 1, after: 0)
            return (run, events)
        }

        @Test("with stream: false every request is whole, carries tool_choice auto and max_tokens, and the tool runs")
        func streamFalse() async throws {
            try await FakeModelServer.withServer(flavor: .llamaCpp) { server in
                server.setScript([Self.readReadme, .text("Read the README; nothing to fix.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try fixture.workspace.write("policies/models.yaml", Self.catalog(server, extra: "stream: false"))
                let (run, events) = try await Self.runOne(fixture)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("1 completed"), "\(run.stdout)")
                let kinds = events.map(\.kind.rawValue)
                #expect(kinds.contains("tool.call"))
                let result = try #require(events.first { $0.kind == .toolResult })
                #expect(result.data["tool"] == "read" && result.data["error"] == "false")
                #expect(result.data["output"]?.contains("# webapp") == true)
                #expect(!kinds.contains("model.stream-fallback"))
                let requests = server.requests(for: "paid")
                #expect(requests.count == 2)
                #expect(requests.allSatisfy { $0.json?["stream"]?.boolValue == false })
                #expect(requests.allSatisfy { $0.json?["tool_choice"]?.stringValue == "auto" })
                #expect(requests.allSatisfy { $0.json?["max_tokens"] == .number(4096) })
                // The second request carries the tool-only turn with empty content, which llama.cpp accepts.
                let assistant = requests[1].json?["messages"]?.arrayValue?.first {
                    $0["role"]?.stringValue == "assistant"
                }
                #expect(assistant?["content"] == .string(""))
            }
        }

        @Test(
            "streamed by default: the empty answer is asked again whole, once, said in an event, then no more streaming"
        )
        func automaticFallback() async throws {
            try await FakeModelServer.withServer(flavor: .llamaCpp) { server in
                server.setScript([Self.readReadme, .text("Read the README; nothing to fix.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try fixture.workspace.write(
                    "policies/models.yaml", Self.catalog(server, extra: "max-output-tokens: 300"))
                let (run, events) = try await Self.runOne(fixture)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("1 completed"), "\(run.stdout)")
                let kinds = events.map(\.kind.rawValue)
                #expect(kinds.filter { $0 == EventKind.modelStreamFallback.rawValue }.count == 1)
                #expect(kinds.contains("tool.result"))
                let fallback = try #require(events.first { $0.kind == .modelStreamFallback })
                #expect(fallback.data["reason"]?.contains("empty stream") == true)
                #expect(!kinds.contains("model.failed"))
                let requests = server.requests(for: "paid")
                #expect(requests.map { $0.json?["stream"]?.boolValue } == [true, false, false])
                #expect(requests.allSatisfy { $0.json?["max_tokens"] == .number(300) })
                let logs = try await fixture.run("sessions", "logs", "1")
                #expect(logs.stdout.contains("model.stream-fallback"), "\(logs.stdout)")
            }
        }

        @Test(
            "a session without tools streams under its profile's output cap, and its tokens are estimated and marked so"
        )
        func estimatedTokens() async throws {
            try await FakeModelServer.withServer(flavor: .llamaCpp) { server in
                server.setScript([.text("Nothing to change.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try fixture.workspace.write(
                    "agents/talker.yaml",
                    "description: Talks only.\nmodel: claude-sonnet-4.5\ntools: []\nlimits: { max-output-tokens: 123 }\n"
                        + "prompt: Answer in one line.\n")
                let assigned = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
                    "talker")
                #expect(assigned.status == 0, "\(assigned.stderr)")
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let events = try await fixture.ledger().events(session: 1, after: 0)
                let response = try #require(events.first { $0.kind == .modelResponse })
                #expect(response.data["tokens_estimated"] == "true")
                #expect(Int(response.data["input_tokens"] ?? "0") ?? 0 > 0)
                #expect(Int(response.data["output_tokens"] ?? "0") ?? 0 > 0)
                #expect(server.requests(for: "paid").first?.json?["stream"]?.boolValue == true)
                // The profile's cap is lower than the catalog's default, so it is the one sent.
                #expect(server.requests(for: "paid").first?.json?["max_tokens"] == .number(123))
            }
        }
    }
}
