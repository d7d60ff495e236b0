import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// A small batch against a real llama.cpp server (`scripts/llama-server.sh` sets one up); skipped
    /// unless `AGENTSCHED_LLAMA_URL` names its base URL, e.g. `http://127.0.0.1:18599/v1`.
    @Suite("agentsched run against a real llama.cpp server")
    struct LlamaServerIntegrationTests {
        static let url = ProcessInfo.processInfo.environment["AGENTSCHED_LLAMA_URL"].flatMap { $0.isEmpty ? nil : $0 }
        /// Every model name the example team uses, so each profile runs on the local model.
        static let aliases = [
            "gpt-4.1", "claude-sonnet-4.5", "claude-haiku-4.5", "claude-opus-4.5", "gpt-5-mini", "sonnet", "haiku",
            "opus", "Claude Sonnet 4.5", "GPT-5 mini",
        ]

        @Test(
            "a small batch reaches an end, with requests that the real server accepts",
            .enabled(
                if: url != nil, "set AGENTSCHED_LLAMA_URL to a llama.cpp server (scripts/llama-server.sh) to run it"),
            .timeLimit(.minutes(30)))
        func smallBatch() async throws {
            let url = try #require(Self.url)
            // The fixture wants a fake server for its catalog; the catalog is then pointed at the real one.
            try await FakeModelServer.withServer { server in
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                // A 135M model on two cores takes 10-25 s a request: a few turns each keep the batch short.
                let profile = fixture.workspace.url.appendingPathComponent("agents/implementer.agent.md")
                try String(contentsOf: profile, encoding: .utf8).replacingOccurrences(
                    of: "max-turns: 60", with: "max-turns: 6"
                ).write(to: profile, atomically: true, encoding: .utf8)
                let names = Self.aliases.map { "\"\($0)\"" }.joined(separator: ", ")
                try fixture.workspace.write(
                    "policies/models.yaml",
                    """
                    default: local
                    models:
                      local:
                        provider: openai
                        base-url: "\(url)"
                        multiplier: 0
                        timeout: 10m
                        max-output-tokens: 256
                        aliases: [\(names)]
                    """)
                try fixture.workspace.write(
                    "issues.yaml",
                    """
                    repository: acme/webapp
                    issues:
                      - number: 1
                        title: The README lacks a title line
                        body: Read README.md and add a first line '# webapp, a small web app'.
                      - number: 2
                        title: Say what test.sh prints
                        body: Read test.sh and write one sentence about what it prints.
                    """)
                let assigned = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues-file", "issues.yaml", "--agent", "implementer")
                #expect(assigned.status == 0, "\(assigned.stderr)")
                let started = Date()
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                let elapsed = Date().timeIntervalSince(started)
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let sessions = try await ledger.sessions(in: [])
                #expect(sessions.count == 2)
                #expect(sessions.allSatisfy { $0.state.isFinal }, "\(sessions.map(\.state))")
                var lines: [String] = []
                for session in sessions {
                    let events = try await ledger.events(session: session.id, after: 0)
                    let requests = events.filter { $0.kind == .modelRequest }
                    let responses = events.filter { $0.kind == .modelResponse }
                    let tokens = responses.reduce(0) {
                        $0 + (Int($1.data["input_tokens"] ?? "") ?? 0) + (Int($1.data["output_tokens"] ?? "") ?? 0)
                    }
                    let waits = zip(requests, responses).map { $1.at.timeIntervalSince($0.at) }.sorted()
                    let median = waits.isEmpty ? 0 : waits[waits.count / 2]
                    lines.append(
                        "session \(session.id): \(session.state.rawValue)"
                            + (session.reason.map { " (\($0))" } ?? "") + ", \(responses.count) requests, "
                            + "\(events.count { $0.kind == .toolCall }) tool calls, \(tokens) tokens"
                            + (responses.contains { $0.data["tokens_estimated"] == "true" } ? " (estimated)" : "")
                            + ", median \(String(format: "%.1f", median)) s per request, "
                            + "\(events.count { $0.kind == .modelStreamFallback }) stream fallbacks")
                    // The requests are ones the server accepts: no pydantic refusal, no 4xx.
                    #expect(
                        !events.contains { $0.data["message"]?.contains("Input should be a valid string") == true })
                    #expect(!events.contains { $0.data["class"] == "bad-request" })
                    #expect(!responses.isEmpty)
                }
                print("llama.cpp batch in \(String(format: "%.0f", elapsed)) s:\n" + lines.joined(separator: "\n"))
            }
        }
    }
}
