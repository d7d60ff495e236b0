import AgentSchedulerRuntime
import AgentSchedulerTesting
import Foundation

/// Many agent loops at once against the fake model server on 127.0.0.1.
///
///     runtime-bench [--loops 500] [--requests 5] [--latency-ms 50] [--stream true] [--keep-alive true]
///
/// Each loop runs `requests` model requests (tool calls, then a final answer) over real HTTP with
/// its own script; its tools answer at once, so what is measured is the loop, the HTTP client and
/// the server, against the ideal of `requests × latency`. Peak memory is the process's maximum
/// resident set (the fake server runs in the same process; `--serve` and `--server URL` split them).
///
/// On a kept-alive connection the fake server answers about 40 ms late (measured with one loop at
/// 1 ms latency: 41 ms a request, 3 ms without keep-alive; the client sets TCP_NODELAY, so likely
/// its writes waiting on delayed ACKs), so with keep-alive the floor is near `requests × (latency
/// + 40 ms)`, not the ideal.
@main
struct RuntimeBench {
    struct NoEvents: AgentEventSink {
        func emit(_ event: AgentEvent) async {}
    }

    struct InstantTools: ToolRunner {
        var definitions: [ToolDefinition] {
            [
                ToolDefinition(
                    name: "read", description: "Read a file", parameters: .object([("type", .string("object"))]))
            ]
        }
        func run(_ call: ToolCall) async -> ToolRunOutcome { ToolRunOutcome(output: "contents of \(call.arguments)") }
    }

    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, _ value: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { Int(arguments[$0 + 1]) } ?? value
        }
        let loops = option("--loops", 500)
        let requests = option("--requests", 5)
        let latency = option("--latency-ms", 50)
        let stream = arguments.firstIndex(of: "--stream").map { arguments[$0 + 1] != "false" } ?? true
        let external = arguments.firstIndex(of: "--server").map { URL(string: arguments[$0 + 1])! }
        let serveOnly = arguments.contains("--serve")
        let keepAlive = arguments.firstIndex(of: "--keep-alive").map { arguments[$0 + 1] != "false" } ?? true
        try await FakeModelServer.withServer(latency: .milliseconds(latency), keepsConnectionsOpen: keepAlive) {
            @Sendable server in
            let steps: [FakeModelStep] =
                Array(repeating: .toolCalls([("read", #"{"path":"Sources/main.swift"}"#)]), count: requests - 1)
                + [.text("Done.")]
            for index in 0..<loops { server.setScript(steps, for: "s\(index)") }
            if serveOnly {
                let address = server.baseURL(for: "s0").deletingLastPathComponent().absoluteString
                FileHandle.standardOutput.write(Data((address + "\n").utf8))
                try await Task.sleep(for: .seconds(3600))
            }
            let bases = (0..<loops).map { index in
                external.map { $0.appendingPathComponent("s\(index)") } ?? server.baseURL(for: "s\(index)")
            }
            // One HTTP client for all loops, as ModelClients makes one per model; it must be shut down.
            let http = HTTPStreamClient(maxConnections: loops, idleTimeout: .seconds(60))
            let started = ContinuousClock.now
            let outcomes: [AgentOutcome]
            do {
                outcomes = try await runLoops(bases: bases, http: http, stream: stream)
            } catch {
                try? await http.shutdown()
                throw error
            }
            let elapsed = ContinuousClock.now - started
            try await http.shutdown()
            let completed = outcomes.count { if case .completed = $0 { true } else { false } }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let ideal = Duration.milliseconds(requests * latency)
            print(
                "\(loops) loops × \(requests) requests at \(latency) ms latency, stream: \(stream), keep-alive: \(keepAlive)"
            )
            print("completed: \(completed)/\(loops); requests served: \(loops * requests)")
            print("wall time: \(elapsed) (ideal \(ideal); \(String(format: "%.2f", elapsed / ideal))× ideal)")
            print("peak resident memory: \(usage.ru_maxrss / 1024) MiB")
        }
    }

    /// Runs one agent loop per base URL at once, all through `http`.
    static func runLoops(bases: [URL], http: HTTPStreamClient, stream: Bool) async throws -> [AgentOutcome] {
        try await withThrowingTaskGroup(of: AgentOutcome.self) { group in
            for (index, base) in bases.enumerated() {
                group.addTask {
                    let client = OpenAIClient(
                        baseURL: base.appendingPathComponent("v1"), apiKey: "bench", apiKeyVariable: nil, http: http)
                    return await AgentLoop(
                        assignment: .init(
                            agent: "implementer", systemPrompt: "You fix bugs.", issue: index, title: "Bug \(index)",
                            body: "It crashes."),
                        model: "bench", client: ResilientModelClient(client: client), tools: InstantTools(),
                        events: NoEvents(), stream: stream
                    ).run()
                }
            }
            var outcomes: [AgentOutcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
    }
}
