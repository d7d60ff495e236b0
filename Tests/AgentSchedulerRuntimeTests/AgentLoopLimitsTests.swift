import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// One log for events and charges, to check their order.
actor OrderLog: AgentEventSink, RequestCharging {
    private(set) var entries: [String] = []
    var pauseAtTurn: Int?

    init(pauseAtTurn: Int? = nil) {
        self.pauseAtTurn = pauseAtTurn
    }

    func emit(_ event: AgentEvent) { entries.append(event.caseName) }

    func willSend(turn: Int, request: ModelRequest) async throws -> Int {
        if turn == pauseAtTurn { throw BudgetPause() }
        entries.append("reserve \(turn)")
        return request.maxTokens
    }

    func didFinish(turn: Int, succeeded: Bool, usage: TokenUsage?) async {
        entries.append(succeeded ? "commit \(turn)" : "release \(turn)")
    }
}

/// The budget said "not now".
struct BudgetPause: ChargingPause {
    var description: String { "the budget of acme is used up" }
}

@Suite("The agent loop's limits inside a turn, cut answers and pauses")
struct AgentLoopLimitsTests {
    static func loop(
        _ model: ScriptedModel, limits: AgentLimits = AgentLimits(), events: any AgentEventSink = EventLog(),
        charging: (any RequestCharging)? = nil, maxArgumentBytes: Int = AgentLoop.defaultMaxArgumentBytes,
        deadline: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) -> AgentLoop {
        AgentLoop(
            assignment: AgentLoopTests.assignment, model: "m",
            client: ResilientModelClient(client: model, maxRetries: 1, sleep: { _ in }), tools: EchoTools(),
            limits: limits, events: events, charging: charging, maxArgumentBytes: maxArgumentBytes, sleep: deadline)
    }

    // The `slow` tool runs until cancelled: without the deadline this test hangs, and the time limit fails it.
    @Test(
        "max-runtime interrupts a running tool call: the session stops at the deadline, not when the tool ends",
        .timeLimit(.minutes(1)))
    func deadlineInterruptsTool() async throws {
        let model = ScriptedModel([ScriptedModel.calls([("slow", "{}"), ("echo", "{}")])])
        let events = EventLog()
        let outcome = await Self.loop(
            model, limits: AgentLimits(maxRuntime: HumanDuration(.seconds(60))), events: events,
            deadline: { _ in try await Task.sleep(for: .milliseconds(100)) }
        ).run()
        #expect(outcome == .stopped(.maxRuntime))
        let kinds = await events.kinds
        #expect(kinds.suffix(2) == ["limitReached", "finished"])
        #expect(await events.events.contains(.limitReached(.maxRuntime)))
        #expect(await events.events.last == .finished(.stopped(.maxRuntime)))
    }

    @Test("max-runtime interrupts a model request that never answers, and releases its charge", .timeLimit(.minutes(1)))
    func deadlineInterruptsRequest() async throws {
        let log = OrderLog()
        let loop = AgentLoop(
            assignment: AgentLoopTests.assignment, model: "m",
            client: ResilientModelClient(client: SilentModel(), maxRetries: 0, sleep: { _ in }), tools: EchoTools(),
            limits: AgentLimits(maxRuntime: HumanDuration(.seconds(60))), events: log, charging: log,
            sleep: { _ in try await Task.sleep(for: .milliseconds(100)) })
        #expect(await loop.run() == .stopped(.maxRuntime))
        #expect(
            await log.entries == ["reserve 1", "requestStarted", "release 1", "limitReached", "finished"])
    }

    @Test("a loop that ends before the deadline keeps its own outcome")
    func deadlineNotReached() async throws {
        let model = ScriptedModel([ScriptedModel.text("Fixed.")])
        let outcome = await Self.loop(model, limits: AgentLimits(maxRuntime: HumanDuration(.seconds(3600)))).run()
        #expect(outcome == .completed(summary: "Fixed."))
    }

    @Test(
        "tool arguments over the limit are refused as a tool error and not kept in the conversation",
        arguments: [(size: 300 * 1024, refused: true), (size: 1000, refused: false)])
    func oversizedArguments(size: Int, refused: Bool) async throws {
        let arguments = #"{"content":""# + String(repeating: "x", count: size) + #""}"#
        let model = ScriptedModel([ScriptedModel.calls([("echo", arguments)]), ScriptedModel.text("ok")])
        let events = EventLog()
        _ = await Self.loop(model, events: events, maxArgumentBytes: 256 * 1024).run()
        let second = try #require(await model.requests.last)
        let sent = try #require(second.messages.first { $0.role == .assistant }?.toolCalls.first)
        let result = try #require(second.messages.last)
        if refused {
            #expect(sent.arguments.utf8.count < 200)
            #expect(try JSONValue(parsing: Data(sent.arguments.utf8))["omitted"] != nil)
            #expect(result.content.hasPrefix("Error: the arguments of this call are 300 KiB, over the 256 KiB limit"))
            #expect(
                await events.events.contains {
                    if case .toolFinished(_, _, _, true, _) = $0 { true } else { false }
                })
        } else {
            #expect(sent.arguments == arguments)
            #expect(result.content == "echo \(arguments)")
        }
    }

    @Test("an answer cut at the output limit is logged, its calls are not run, and the model is asked to go on")
    func cutAnswerContinues() async throws {
        let cut = ScriptedModel.Step.reply(
            ModelResponse(
                message: .assistant("Half", toolCalls: [ToolCall(id: "c1", name: "echo", arguments: #"{"a":"#)]),
                usage: TokenUsage(), finishReason: "length"))
        let model = ScriptedModel([cut, ScriptedModel.text("Whole answer.")])
        let events = EventLog()
        let outcome = await Self.loop(model, events: events).run()
        #expect(outcome == .completed(summary: "Whole answer."))
        #expect(
            await events.events.contains(
                .answerCut(turn: 1, finishReason: "length", next: "ask the model to continue")))
        #expect(!(await events.kinds.contains("toolCalled")))
        let second = try #require(await model.requests.last)
        #expect(second.messages.suffix(2).map(\.role) == [.tool, .user])
        #expect(second.messages.last == .user(AgentLoop.continueAfterCut))
    }

    @Test("two cut answers in a row fail the session with that reason")
    func cutTwiceFails() async throws {
        let cut = ScriptedModel.Step.reply(
            ModelResponse(message: .assistant("Half"), usage: TokenUsage(), finishReason: "max_tokens"))
        let model = ScriptedModel([cut, cut, ScriptedModel.text("never")])
        let outcome = await Self.loop(model).run()
        #expect(
            outcome
                == .failed("the model's answer was cut at its output limit (finish_reason: max_tokens) twice in a row"))
        #expect(await model.requests.count == 2)
    }

    @Test("an answer is logged before it is charged, and the next reservation follows the tool result")
    func eventOrder() async throws {
        let model = ScriptedModel([ScriptedModel.calls([("echo", "{}")]), ScriptedModel.text("done")])
        let log = OrderLog()
        _ = await Self.loop(model, events: log, charging: log).run()
        #expect(
            await log.entries == [
                "reserve 1", "requestStarted", "responseReceived", "commit 1", "toolCalled", "toolFinished",
                "reserve 2",
                "requestStarted", "responseReceived", "commit 2", "finished",
            ])
    }

    @Test("a budget pause ends the run as paused, without session.finished")
    func pauseIsNotFinished() async throws {
        let model = ScriptedModel([ScriptedModel.calls([("echo", "{}")]), ScriptedModel.text("done")])
        let log = OrderLog(pauseAtTurn: 2)
        let outcome = await Self.loop(model, events: log, charging: log).run()
        #expect(outcome == .paused("the budget of acme is used up"))
        #expect(!(await log.entries.contains("finished")))
    }
}
