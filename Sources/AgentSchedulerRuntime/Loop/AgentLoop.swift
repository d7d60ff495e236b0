import AgentSchedulerCore
import Foundation

/// One agent at work on one issue: asks the model, runs the tools it calls, feeds the results
/// back, until the model answers without tool calls, a profile limit stops it, or its task is
/// cancelled.
///
/// The first request carries the system prompt (the profile's prompt plus the repository's own
/// instructions) and the issue. Every step is an `AgentEvent`. The conversation is saved after
/// every complete turn, so `run(resuming:)` can continue an interrupted session from its last
/// complete turn. Steering messages join the conversation after the current tool call: the calls
/// of that turn still waiting are answered "skipped" so every call has its result.
public struct AgentLoop: Sendable {
    /// What the loop works on.
    public struct Assignment: Sendable, Hashable {
        public var agent: String
        public var systemPrompt: String
        public var issue: Int
        public var title: String
        public var body: String
        /// Whether it continues an earlier session's branch with new instructions.
        public var isFollowUp: Bool

        public init(
            agent: String, systemPrompt: String, issue: Int, title: String, body: String, isFollowUp: Bool = false
        ) {
            self.isFollowUp = isFollowUp
            self.agent = agent
            self.systemPrompt = systemPrompt
            self.issue = issue
            self.title = title
            self.body = body
        }

        /// The first user message.
        public var issueText: String {
            "Issue #\(issue): \(title)\n\n\(body)".trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public var assignment: Assignment
    /// The provider's name for the model.
    public var model: String
    public var client: ResilientModelClient
    public var tools: any ToolRunner
    public var limits: AgentLimits
    public var events: any AgentEventSink
    public var charging: (any RequestCharging)?
    public var store: (any ConversationStore)?
    public var steering: SteeringInbox
    public var clock: any WallClock
    /// Whether requests start out streamed (the catalog's `stream`); after one unusable stream the
    /// session asks without streaming.
    public var stream: Bool
    /// The `max_tokens` cap of every request.
    public var maxOutputTokens: Int
    /// The largest arguments one tool call may carry, in UTF-8 bytes: larger ones are refused as a
    /// tool error and replaced by a short placeholder in the conversation, so they are not re-sent.
    public var maxArgumentBytes: Int
    /// Waits out `limits.maxRuntime`; tests pass a faster one.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// 256 KiB.
    public static let defaultMaxArgumentBytes = 256 * 1024

    public init(
        assignment: Assignment, model: String, client: ResilientModelClient, tools: any ToolRunner,
        limits: AgentLimits = AgentLimits(), events: any AgentEventSink, charging: (any RequestCharging)? = nil,
        store: (any ConversationStore)? = nil, steering: SteeringInbox = SteeringInbox(),
        clock: any WallClock = SystemWallClock(), stream: Bool = true,
        maxOutputTokens: Int = ModelDefinition.defaultMaxOutputTokens,
        maxArgumentBytes: Int = AgentLoop.defaultMaxArgumentBytes,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.assignment = assignment
        self.model = model
        self.client = client
        self.tools = tools
        self.limits = limits
        self.events = events
        self.charging = charging
        self.store = store
        self.steering = steering
        self.clock = clock
        self.stream = stream
        self.maxOutputTokens = maxOutputTokens
        self.maxArgumentBytes = maxArgumentBytes
        self.sleep = sleep
    }

    /// Runs the session, from the start or from a saved conversation.
    ///
    /// `limits.maxRuntime` is a deadline for the whole run: when it passes, the request or tool
    /// call in flight is cancelled (a running command is killed) and the run stops with
    /// `.stopped(.maxRuntime)`. A `.paused` run reports no `session.finished`.
    public func run(resuming saved: [ChatMessage]? = nil) async -> AgentOutcome {
        let outcome = await loopWithinDeadline(resuming: saved)
        if case .paused = outcome { return outcome }
        await events.emit(.finished(outcome))
        return outcome
    }

    /// Who ended the race between the loop and the max-runtime deadline.
    private enum RaceEnd: Sendable {
        case loop(AgentOutcome)
        case deadline
        case deadlineCancelled
    }

    private func loopWithinDeadline(resuming saved: [ChatMessage]?) async -> AgentOutcome {
        let started = clock.now()
        guard let maxRuntime = limits.maxRuntime?.duration else {
            return await loop(resuming: saved, started: started)
        }
        return await withTaskGroup(of: RaceEnd.self) { group in
            group.addTask { .loop(await loop(resuming: saved, started: started)) }
            group.addTask { [sleep] in
                do {
                    try await sleep(maxRuntime)
                    return .deadline
                } catch {
                    return .deadlineCancelled
                }
            }
            var deadlinePassed = false
            var outcome: AgentOutcome = .cancelled
            while let end = await group.next() {
                switch end {
                case .loop(let ended):
                    outcome = ended
                    group.cancelAll()
                case .deadline:
                    deadlinePassed = true
                    group.cancelAll()
                case .deadlineCancelled:
                    break
                }
            }
            // The loop was cut short by the deadline (it reports `.cancelled`): it is a limit.
            guard deadlinePassed, outcome == .cancelled, !Task.isCancelled else { return outcome }
            await events.emit(.limitReached(.maxRuntime))
            return .stopped(.maxRuntime)
        }
    }

    private func loop(resuming saved: [ChatMessage]?, started: Date) async -> AgentOutcome {
        var messages = saved ?? [.system(assignment.systemPrompt), .user(assignment.issueText)]
        var turn = messages.count { $0.role == .assistant }
        var toolCalls = messages.count { $0.role == .tool }
        var stream = self.stream
        var cutInARow = 0
        while true {
            if Task.isCancelled { return .cancelled }
            if let limit = limitReached(turn: turn, toolCalls: toolCalls, since: started) {
                await events.emit(.limitReached(limit))
                return .stopped(limit)
            }
            for message in await steering.take() {
                messages.append(.user(message))
                await events.emit(.steered(turn: turn + 1, message: message))
            }
            turn += 1
            let response: ModelResponse
            var request = ModelRequest(
                model: model, messages: messages, tools: await tools.definitions(), stream: stream,
                maxTokens: maxOutputTokens, agent: assignment.agent, issue: assignment.issue,
                isFollowUp: assignment.isFollowUp)
            do {
                if let charging {
                    request.maxTokens = min(
                        request.maxTokens, try await charging.willSend(turn: turn, request: request))
                }
            } catch let pause as any ChargingPause {
                return Task.isCancelled ? .cancelled : .paused(pause.description)
            } catch {
                return Task.isCancelled ? .cancelled : .failed("\(error)")
            }
            do {
                await events.emit(.requestStarted(turn: turn, model: model))
                let currentTurn = turn
                response = try await client.send(
                    request,
                    onFailure: { failure, retryIn in
                        await events.emit(
                            .requestFailed(
                                turn: currentTurn, failureClass: failure.className, attempt: failure.attempt,
                                message: failure.description, retryIn: retryIn))
                    },
                    onStreamFallback: { reason in
                        await events.emit(.streamFellBack(turn: currentTurn, reason: reason))
                    })
                if response.fellBackFromStreaming { stream = false }
            } catch {
                await charging?.didFinish(turn: turn, succeeded: false, usage: nil)
                if error is CancellationError || Task.isCancelled { return .cancelled }
                return .failed("\(error)")
            }
            // The answer is logged before its charge, so the log reads in the order things happened.
            await events.emit(
                .responseReceived(
                    turn: turn, usage: response.usage, toolCalls: response.message.toolCalls.count,
                    text: response.message.content))
            await charging?.didFinish(turn: turn, succeeded: true, usage: response.usage)
            let (answer, oversized) = withoutOversizedArguments(response.message)
            messages.append(answer)
            if let reason = response.cutReason {
                cutInARow += 1
                var unanswered = answer.toolCalls[...]
                answerSkipped(
                    &unanswered, in: &messages,
                    because: "your answer was cut at the output limit, so its arguments may be incomplete")
                guard cutInARow < 2 else {
                    await events.emit(.answerCut(turn: turn, finishReason: reason, next: "fail"))
                    await save(messages)
                    return .failed(
                        "the model's answer was cut at its output limit (finish_reason: \(reason)) twice in a row")
                }
                await events.emit(.answerCut(turn: turn, finishReason: reason, next: "ask the model to continue"))
                messages.append(.user(Self.continueAfterCut))
                await save(messages)
                continue
            }
            cutInARow = 0
            if answer.toolCalls.isEmpty {
                await save(messages)
                return .completed(summary: answer.content)
            }
            var pending = answer.toolCalls[...]
            while let call = pending.popFirst() {
                if let max = limits.maxToolCalls, toolCalls >= max {
                    messages.append(.tool("Not run: the session reached its max-tool-calls limit.", answering: call.id))
                    continue
                }
                await events.emit(.toolCalled(turn: turn, id: call.id, name: call.name, arguments: call.arguments))
                let result: ToolResult
                if let size = oversized[call.id] {
                    result = ToolResult(
                        output:
                            "Error: the arguments of this call are \(ToolOutput.size(size)), over the "
                            + "\(ToolOutput.size(maxArgumentBytes)) limit for one tool call; they were not run "
                            + "and are not kept. Send smaller pieces (for example, write a large file in parts).",
                        isError: true)
                } else {
                    result = await tools.run(call)
                }
                toolCalls += 1
                if let refusal = result.refusal {
                    await events.emit(.toolRefused(turn: turn, id: call.id, name: call.name, reason: refusal.message))
                } else {
                    await events.emit(
                        .toolFinished(
                            turn: turn, id: call.id, name: call.name, isError: result.isError, output: result.output))
                }
                if let record = result.mcpCall { await events.emit(.mcpCall(turn: turn, id: call.id, record: record)) }
                messages.append(.tool(result.output, answering: call.id))
                if Task.isCancelled {
                    answerSkipped(&pending, in: &messages, because: "the session was cancelled")
                    await save(messages)
                    return .cancelled
                }
                if !pending.isEmpty, await steering.hasWaiting {
                    answerSkipped(&pending, in: &messages, because: "the user sent a new instruction")
                }
            }
            await save(messages)
        }
    }

    /// What the model is told after an answer that was cut at its output limit.
    static let continueAfterCut =
        "Your last answer was cut off at the output token limit, and its tool calls were not run. "
        + "Continue from where you stopped, in shorter steps."

    /// `message` with every tool call's arguments over `maxArgumentBytes` replaced by a short JSON
    /// placeholder, and the original sizes of those calls by id.
    private func withoutOversizedArguments(_ message: ChatMessage) -> (ChatMessage, [String: Int]) {
        var message = message
        var oversized: [String: Int] = [:]
        for index in message.toolCalls.indices {
            let size = message.toolCalls[index].arguments.utf8.count
            guard size > maxArgumentBytes else { continue }
            oversized[message.toolCalls[index].id] = size
            message.toolCalls[index].arguments =
                JSONValue.object([("omitted", .string("\(size) bytes of arguments, over the limit"))]).jsonText
        }
        return (message, oversized)
    }

    /// Answers every call still pending so the conversation stays valid for every provider.
    private func answerSkipped(
        _ pending: inout ArraySlice<ToolCall>, in messages: inout [ChatMessage], because reason: String
    ) {
        while let call = pending.popFirst() {
            messages.append(.tool("Not run: \(reason).", answering: call.id))
        }
    }

    private func limitReached(turn: Int, toolCalls: Int, since started: Date) -> AgentLimit? {
        if let max = limits.maxTurns, turn >= max { return .maxTurns }
        if let max = limits.maxToolCalls, toolCalls >= max { return .maxToolCalls }
        if let max = limits.maxRuntime,
            clock.now().timeIntervalSince(started) >= Double(max.duration.components.seconds)
        {
            return .maxRuntime
        }
        return nil
    }

    private func save(_ messages: [ChatMessage]) async {
        do {
            try await store?.save(messages)
        } catch {
            await events.emit(
                .requestFailed(
                    turn: messages.count { $0.role == .assistant }, failureClass: "conversation-store", attempt: 1,
                    message: "the conversation could not be saved: \(error)", retryIn: nil))
        }
    }
}

extension SteeringInbox {
    /// Whether a message is waiting.
    public var hasWaiting: Bool { !peek().isEmpty }
}
