import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// A model that answers from a script and records what it was asked.
actor ScriptedModel: ModelClient {
    enum Step {
        case reply(ModelResponse)
        case fail(ProviderFailure.Kind)
    }

    private var steps: [Step]
    private(set) var requests: [ModelRequest] = []

    init(_ steps: [Step]) {
        self.steps = steps
    }

    func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        requests.append(request)
        guard !steps.isEmpty else {
            return ModelResponse(message: .assistant("done"), usage: TokenUsage(), finishReason: "stop")
        }
        switch steps.removeFirst() {
        case .reply(let response): return response
        case .fail(let kind): throw ProviderFailure(kind, attempt: attempt)
        }
    }

    static func text(_ text: String) -> Step {
        .reply(ModelResponse(message: .assistant(text), usage: TokenUsage(input: 10, output: 2), finishReason: "stop"))
    }

    static func calls(_ calls: [(String, String)]) -> Step {
        .reply(
            ModelResponse(
                message: .assistant(
                    "",
                    toolCalls: calls.enumerated().map {
                        ToolCall(id: "call_\($0.offset + 1)", name: $0.element.0, arguments: $0.element.1)
                    }),
                usage: TokenUsage(input: 10, output: 5), finishReason: "tool_calls"))
    }
}

/// Tools that echo their arguments, with `slow` waiting until its task is cancelled.
struct EchoTools: ToolRunner {
    var steering: SteeringInbox?

    func definitions() async -> [ToolDefinition] {
        [ToolDefinition(name: "echo", description: "Echo", parameters: .object([("type", .string("object"))]))]
    }

    func run(_ call: ToolCall) async -> ToolResult {
        switch call.name {
        case "echo":
            return ToolResult(output: "echo \(call.arguments)")
        case "steer":
            await steering?.send("Stop and write the tests first.")
            return ToolResult(output: "steered")
        case "slow":
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            return ToolResult(output: "interrupted", isError: true)
        default:
            return ToolResult(
                output: "no tool \(call.name)", isError: true, refusal: .denied("not in this agent's tools"))
        }
    }
}

extension AgentEvent {
    /// The event's case, without its values (`toolCalled`): what order tests compare.
    var caseName: String {
        let text = String(describing: self)
        return String(text.prefix { $0 != "(" })
    }
}

/// Collects events in order.
actor EventLog: AgentEventSink {
    private(set) var events: [AgentEvent] = []
    func emit(_ event: AgentEvent) { events.append(event) }
    var kinds: [String] { events.map(\.caseName) }
}

/// Counts charges: one `willSend` and one `didFinish` per request.
actor ChargeLog: RequestCharging {
    private(set) var log: [String] = []
    func willSend(turn: Int, request: ModelRequest) async throws -> Int {
        log.append("reserve \(turn)")
        return request.maxTokens
    }
    func didFinish(turn: Int, succeeded: Bool, usage: TokenUsage?) async {
        log.append(succeeded ? "commit \(turn)" : "release \(turn)")
    }
}

/// Keeps the conversation in memory.
actor MemoryStore: ConversationStore {
    private(set) var saved: [[ChatMessage]] = []
    func save(_ messages: [ChatMessage]) async throws { saved.append(messages) }
    func load() async throws -> [ChatMessage]? { saved.last }
}

@Suite("The agent loop")
struct AgentLoopTests {
    static let assignment = AgentLoop.Assignment(
        agent: "implementer", systemPrompt: "You fix bugs.", issue: 7, title: "Crash on empty input",
        body: "It crashes.")

    static func loop(
        _ model: ScriptedModel, tools: any ToolRunner = EchoTools(), limits: AgentLimits = AgentLimits(),
        events: EventLog = EventLog(), charging: ChargeLog? = nil, store: MemoryStore? = nil,
        steering: SteeringInbox = SteeringInbox(), clock: any WallClock = SystemWallClock()
    ) -> AgentLoop {
        AgentLoop(
            assignment: assignment, model: "m",
            client: ResilientModelClient(client: model, maxRetries: 2, sleep: { _ in }), tools: tools, limits: limits,
            events: events, charging: charging, store: store, steering: steering, clock: clock)
    }

    @Test("the first request carries the system prompt and the issue; tool results go back; a plain answer ends it")
    func toolRoundTrip() async throws {
        let model = ScriptedModel([ScriptedModel.calls([("echo", #"{"x":1}"#)]), ScriptedModel.text("Fixed it.")])
        let events = EventLog()
        let charges = ChargeLog()
        let store = MemoryStore()
        let outcome = await Self.loop(model, events: events, charging: charges, store: store).run()
        #expect(outcome == .completed(summary: "Fixed it."))
        let requests = await model.requests
        #expect(requests.count == 2)
        #expect(
            requests[0].messages == [.system("You fix bugs."), .user("Issue #7: Crash on empty input\n\nIt crashes.")])
        #expect(requests[0].tools.map(\.name) == ["echo"])
        #expect(requests[0].agent == "implementer" && requests[0].issue == 7)
        #expect(requests[1].messages.last == .tool(#"echo {"x":1}"#, answering: "call_1"))
        #expect(
            await events.kinds == [
                "requestStarted", "responseReceived", "toolCalled", "toolFinished", "requestStarted",
                "responseReceived",
                "finished",
            ])
        #expect(await charges.log == ["reserve 1", "commit 1", "reserve 2", "commit 2"])
        #expect(await store.saved.count == 2)
        #expect(await store.saved.last?.count == 5)
    }

    @Test(
        "profile limits stop the loop",
        arguments: [
            (AgentLimits(maxTurns: 2), AgentOutcome.stopped(.maxTurns), 2),
            (AgentLimits(maxToolCalls: 3), AgentOutcome.stopped(.maxToolCalls), 2),
        ])
    func limits(limits: AgentLimits, expected: AgentOutcome, requests: Int) async throws {
        let model = ScriptedModel(Array(repeating: ScriptedModel.calls([("echo", "{}"), ("echo", "{}")]), count: 10))
        let events = EventLog()
        let outcome = await Self.loop(model, limits: limits, events: events).run()
        #expect(outcome == expected)
        #expect(await model.requests.count == requests)
        #expect(
            await events.events.contains(.limitReached(expected == .stopped(.maxTurns) ? .maxTurns : .maxToolCalls)))
    }

    @Test("max-runtime is read from the injected clock")
    func runtimeLimit() async throws {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_000_000))
        struct SlowClockTools: ToolRunner {
            let clock: ManualWallClock
            func definitions() async -> [ToolDefinition] { [] }
            func run(_ call: ToolCall) async -> ToolResult {
                clock.advance(by: 20 * 60)
                return ToolResult(output: "took 20 minutes")
            }
        }
        let model = ScriptedModel(Array(repeating: ScriptedModel.calls([("echo", "{}")]), count: 5))
        let outcome = await Self.loop(
            model, tools: SlowClockTools(clock: clock),
            limits: AgentLimits(maxRuntime: HumanDuration(.seconds(30 * 60))),
            clock: clock
        ).run()
        #expect(outcome == .stopped(.maxRuntime))
        #expect(await model.requests.count == 2)
    }

    @Test("steering joins after the current tool call; the calls still waiting are answered as skipped")
    func steering() async throws {
        let inbox = SteeringInbox()
        let model = ScriptedModel([
            ScriptedModel.calls([("steer", "{}"), ("echo", "{}")]), ScriptedModel.text("Tests first, then."),
        ])
        let events = EventLog()
        let outcome = await Self.loop(model, tools: EchoTools(steering: inbox), events: events, steering: inbox).run()
        #expect(outcome == .completed(summary: "Tests first, then."))
        let second = try #require(await model.requests.last)
        #expect(
            Array(second.messages.suffix(3)) == [
                .tool("steered", answering: "call_1"),
                .tool("Not run: the user sent a new instruction.", answering: "call_2"),
                .user("Stop and write the tests first."),
            ])
        #expect(await events.events.contains(.steered(turn: 2, message: "Stop and write the tests first.")))
    }

    @Test("a failing provider is retried with classes and attempts reported, then the session fails without a charge")
    func providerFailure() async throws {
        let model = ScriptedModel([.fail(.server(status: 503)), .fail(.timeout), .fail(.server(status: 500))])
        let events = EventLog()
        let charges = ChargeLog()
        let outcome = await Self.loop(model, events: events, charging: charges).run()
        #expect(outcome == .failed("server error (500)"))
        let failures = await events.events.compactMap { event -> String? in
            if case .requestFailed(_, let failureClass, let attempt, _, _) = event {
                return "\(failureClass) \(attempt)"
            }
            return nil
        }
        #expect(failures == ["server-error 1", "timeout 2", "server-error 3"])
        #expect(await charges.log == ["reserve 1", "release 1"])
    }

    @Test("authentication failures stop at once")
    func authentication() async throws {
        let model = ScriptedModel([.fail(.authentication(status: 401, environmentVariable: "OPENAI_API_KEY"))])
        let outcome = await Self.loop(model).run()
        #expect(outcome == .failed("authentication failed (401): check the key in $OPENAI_API_KEY"))
        #expect(await model.requests.count == 1)
    }

    @Test("a refused tool call is reported and its refusal goes back to the model")
    func refusedTool() async throws {
        let model = ScriptedModel([
            ScriptedModel.calls([("execute", #"{"command":"rm -rf /"}"#)]), ScriptedModel.text("ok"),
        ])
        let events = EventLog()
        _ = await Self.loop(model, events: events).run()
        #expect(
            await events.events.contains(
                .toolRefused(turn: 1, id: "call_1", name: "execute", reason: "not in this agent's tools")))
        #expect(await model.requests.last?.messages.last == .tool("no tool execute", answering: "call_1"))
    }

    @Test("a session resumes from its saved conversation at the next turn")
    func resume() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = FileConversationStore(file: folder.appendingPathComponent("conversation.json"))
        let first = ScriptedModel([ScriptedModel.calls([("echo", "{}")])])
        _ = await AgentLoop(
            assignment: Self.assignment, model: "m", client: ResilientModelClient(client: first, sleep: { _ in }),
            tools: EchoTools(), limits: AgentLimits(maxTurns: 1), events: EventLog(), store: store
        ).run()
        let saved = try #require(try await store.load())
        #expect(saved.count == 4)
        let second = ScriptedModel([ScriptedModel.text("Done after resuming.")])
        let events = EventLog()
        let outcome = await Self.loop(second, events: events).run(resuming: saved)
        #expect(outcome == .completed(summary: "Done after resuming."))
        #expect(await second.requests.first?.messages == saved)
        #expect(await events.events.first == .requestStarted(turn: 2, model: "m"))
    }

    @Test("cancelling the session reaches a running tool and ends the loop")
    func cancellation() async throws {
        let model = ScriptedModel([ScriptedModel.calls([("slow", "{}"), ("echo", "{}")])])
        let store = MemoryStore()
        let outcome = await withTaskGroup(of: AgentOutcome.self) { group in
            group.addTask { await Self.loop(model, store: store).run() }
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
            return await group.next()!
        }
        #expect(outcome == .cancelled)
        let saved = try #require(await store.saved.last)
        #expect(saved.suffix(2).map(\.content) == ["interrupted", "Not run: the session was cancelled."])
    }
}
