import AgentSchedulerTesting
import Foundation
import Testing

/// The fake server speaks OpenAI Chat Completions as the real service does.
@Suite("OpenAI Chat Completions")
struct OpenAIProtocolTests {
    @Test("A text reply arrives as a chat.completion with deterministic usage")
    func textReply() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("Hello there")], for: "s")
            let answer = try await TestClient.postJSON(
                .openAI, TestClient.Provider.openAI.body(), to: server.baseURL(for: "s"))
            #expect(answer["object"] == "chat.completion")
            #expect(answer["model"] == "test-model")
            let choice = try #require(answer["choices"]?[0])
            #expect(choice["message"]?["role"] == "assistant")
            #expect(choice["message"]?["content"] == "Hello there")
            #expect(choice["finish_reason"] == "stop")
            // "user" + "Hello" is 9 characters: 3 tokens; "Hello there" is 11: 3 tokens.
            #expect(answer["usage"] == ["prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6])
        }
    }

    @Test(
        "Tool calls get ids counted per script and finish with tool_calls",
        arguments: ["/chat/completions", "/v1/chat/completions"])
    func toolCalls(path: String) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [
                    .toolCalls([("read_file", #"{"path":"a.txt"}"#), ("list", "{}")]),
                    .textAndToolCalls("Again", [("read_file", #"{"path":"b.txt"}"#)]),
                ], for: "s")
            var answers: [FakeJSON] = []
            for _ in 0..<2 {
                let (data, response) = try await TestClient.post(
                    .openAI, TestClient.Provider.openAI.body(), to: server.baseURL(for: "s"),
                    path: String(path.dropFirst()))
                #expect(response.statusCode == 200)
                answers.append(try #require(FakeJSON(data: data)))
            }
            let first = try #require(answers[0]["choices"]?[0])
            #expect(first["finish_reason"] == "tool_calls")
            #expect(first["message"]?["content"] == .null)
            #expect(
                first["message"]?["tool_calls"] == [
                    [
                        "id": "call_1", "type": "function",
                        "function": ["name": "read_file", "arguments": #"{"path":"a.txt"}"#],
                    ],
                    ["id": "call_2", "type": "function", "function": ["name": "list", "arguments": "{}"]],
                ])
            let second = try #require(answers[1]["choices"]?[0]["message"])
            #expect(second["content"] == "Again")
            #expect(second["tool_calls"]?[0]?["id"] == "call_3")
        }
    }

    @Test("A streamed reply is a chunk per delta, tool call arguments in pieces, a usage chunk and [DONE]")
    func streamed() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.textAndToolCalls("Let me look.", [("read_file", #"{"path":"README.md"}"#)])])
            let (data, response) = try await TestClient.post(
                .openAI, TestClient.Provider.openAI.body(stream: true), to: server.baseURL())
            #expect(response.statusCode == 200)
            #expect(response.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/event-stream") == true)
            let events = TestClient.events(in: data)
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().compactMap(\.json)
            #expect(chunks.count == events.count - 1)
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
            #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == "assistant")

            let deltas = chunks.compactMap { $0["choices"]?[0]?["delta"] }
            let contentPieces = deltas.compactMap { $0["content"]?.stringValue }.filter { !$0.isEmpty }
            #expect(contentPieces.count > 1)
            #expect(contentPieces.joined() == "Let me look.")
            let toolDeltas = deltas.compactMap { $0["tool_calls"]?[0] }
            #expect(toolDeltas.first?["id"] == "call_1")
            #expect(toolDeltas.first?["function"]?["name"] == "read_file")
            #expect(toolDeltas.allSatisfy { $0["index"] == 0 })
            let arguments = toolDeltas.compactMap { $0["function"]?["arguments"]?.stringValue }
            #expect(arguments.count > 2)
            #expect(arguments.joined() == #"{"path":"README.md"}"#)
            #expect(chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue } == ["tool_calls"])

            let usage = try #require(chunks.last)
            #expect(usage["choices"] == [])
            #expect(
                usage["usage"]?["total_tokens"]?.intValue == 3
                    + TokenEstimate.completionTokens(
                        text: "Let me look.",
                        toolCalls: [FakeToolCall(name: "read_file", arguments: #"{"path":"README.md"}"#)]))
        }
    }

    @Test("A stream without include_usage has no usage chunk")
    func streamedWithoutUsage() async throws {
        try await FakeModelServer.withServer { server in
            let body: FakeJSON = ["model": "m", "stream": true, "messages": [["role": "user", "content": "Hi"]]]
            let (data, _) = try await TestClient.post(.openAI, body, to: server.baseURL())
            let chunks = TestClient.events(in: data).dropLast().compactMap(\.json)
            #expect(chunks.allSatisfy { $0["usage"] == nil && $0["choices"] != [] })
            #expect(chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined() == "done")
        }
    }

    @Test(
        "Invalid conversations get the real 400 and do not consume a step",
        arguments: [
            // A tool message that answers nothing.
            FakeJSON.array([
                ["role": "user", "content": "Hi"], ["role": "tool", "tool_call_id": "call_9", "content": "x"],
            ]),
            // A tool call left unanswered.
            [
                ["role": "user", "content": "Hi"],
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        ["id": "call_1", "type": "function", "function": ["name": "f", "arguments": "{}"]]
                    ],
                ],
                ["role": "user", "content": "and?"],
            ],
            [],
        ])
    func invalid(messages: FakeJSON) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("kept")])
            let (data, response) = try await TestClient.post(
                .openAI, ["model": "m", "messages": messages], to: server.baseURL())
            #expect(response.statusCode == 400)
            let error = try #require(FakeJSON(data: data)?["error"])
            #expect(error["type"] == "invalid_request_error")
            #expect(error["message"]?.stringValue?.isEmpty == false)
            #expect(server.remainingSteps() == 1)
            #expect(server.attempts() == 1)
        }
    }
}
