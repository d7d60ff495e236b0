import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// A model that never answers: each attempt waits until it is cancelled.
struct SilentModel: ModelClient {
    func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}

@Suite("Answers that are not answers, and the total deadline of a request")
struct AnswerChecksTests {
    static let request = ModelRequest(
        model: "m", messages: [.user("hi")], tools: [], stream: true, agent: "a", issue: 1)

    @Test(
        "a Chat Completions answer without choices is malformed, streamed or not",
        arguments: [
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":0}}\n\ndata: [DONE]\n\n",
            "data: {\"choices\":[]}\n\ndata: {\"choices\":[]}\n\ndata: [DONE]\n\n",
        ])
    func emptyChoicesStreamed(body: String) async throws {
        await #expect(
            throws: ProviderFailure(.malformed("the stream carried no choices (choices: [])"), attempt: 2)
        ) {
            _ = try await OpenAIClient.readStream(OpenAIStreamTests.stream(body), attempt: 2)
        }
    }

    @Test("a complete answer with choices: [] is malformed, and says so")
    func emptyChoicesComplete() throws {
        let body = Data(#"{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":5}}"#.utf8)
        #expect(throws: ProviderFailure(.malformed("the answer has no choices (choices: [])"), attempt: 1)) {
            _ = try OpenAIClient.decodeCompletion(body, attempt: 1)
        }
    }

    @Test(
        "an answer is cut when the provider stopped at the output limit",
        arguments: [
            ("length", "length"), ("max_tokens", "max_tokens"), ("stop", nil), ("tool_calls", nil), ("end_turn", nil),
            (nil, nil),
        ] as [(String?, String?)])
    func cutReason(finishReason: String?, expected: String?) {
        let response = ModelResponse(message: .assistant("partial"), usage: TokenUsage(), finishReason: finishReason)
        #expect(response.cutReason == expected)
    }

    @Test(
        "duplicate tool-call ids in one answer are found; distinct ones are not",
        arguments: [
            (["a", "b", "c"], nil), (["a", "b", "a"], "a"), (["x", "x"], "x"), ([], nil),
        ] as [([String], String?)])
    func duplicateIDs(ids: [String], expected: String?) {
        let calls = ids.map { ToolCall(id: $0, name: "read", arguments: "{}") }
        let response = ModelResponse(
            message: .assistant("", toolCalls: calls), usage: TokenUsage(), finishReason: "tool_calls")
        #expect(response.duplicateToolCallID == expected)
    }

    @Test("an answer with duplicate tool-call ids is malformed and retried; the next answer is used")
    func duplicateIDsRetried() async throws {
        let duplicate = ScriptedModel.Step.reply(
            ModelResponse(
                message: .assistant(
                    "",
                    toolCalls: [
                        ToolCall(id: "call_1", name: "echo", arguments: "{}"),
                        ToolCall(id: "call_1", name: "echo", arguments: "{}"),
                    ]),
                usage: TokenUsage(), finishReason: "tool_calls"))
        let model = ScriptedModel([duplicate, ScriptedModel.text("fine")])
        let failures = ReportedFailures()
        let client = ResilientModelClient(client: model, maxRetries: 2, sleep: { _ in })
        let response = try await client.send(Self.request) { failure, _ in await failures.add(failure) }
        #expect(response.message.content == "fine")
        #expect(
            await failures.items == [
                ProviderFailure(.malformed("two tool calls in one answer share the id 'call_1'"), attempt: 1)
            ])
    }

    // A model that never answers would hang this test without the deadline: the time limit fails it then.
    @Test(
        "an attempt that outlasts its total deadline fails as a timeout, and is retried as one",
        .timeLimit(.minutes(1)))
    func attemptDeadline() async throws {
        let failures = ReportedFailures()
        let client = ResilientModelClient(
            client: SilentModel(), maxRetries: 1, sleep: { _ in }, attemptTimeout: .seconds(30),
            waitForDeadline: { _ in try await Task.sleep(for: .milliseconds(20)) })
        await #expect(throws: ProviderFailure(.timeout, attempt: 2)) {
            _ = try await client.send(Self.request) { failure, _ in await failures.add(failure) }
        }
        #expect(await failures.items.map(\.className) == ["timeout", "timeout"])
    }
}

/// Collects the failures a client reports.
actor ReportedFailures {
    private(set) var items: [ProviderFailure] = []
    func add(_ failure: ProviderFailure) { items.append(failure) }
}
