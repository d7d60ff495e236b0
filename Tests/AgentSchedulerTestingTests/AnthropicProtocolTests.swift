import AgentSchedulerTesting
import Foundation
import Testing

/// The fake server speaks Anthropic Messages as the real service does.
@Suite("Anthropic Messages")
struct AnthropicProtocolTests {
    @Test("A reply arrives as a message with text and tool_use blocks")
    func reply() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(
                [.textAndToolCalls("Looking.", [("read_file", #"{"path":"a.txt","limit":10}"#)])], for: "k")
            let answer = try await TestClient.postJSON(
                .anthropic, TestClient.Provider.anthropic.body(), to: server.baseURL(for: "k"))
            #expect(answer["type"] == "message")
            #expect(answer["role"] == "assistant")
            #expect(answer["model"] == "test-model")
            #expect(
                answer["content"] == [
                    ["type": "text", "text": "Looking."],
                    [
                        "type": "tool_use", "id": "call_1", "name": "read_file",
                        "input": ["path": "a.txt", "limit": 10],
                    ],
                ])
            #expect(answer["stop_reason"] == "tool_use")
            #expect(answer["usage"]?["input_tokens"] == 3)
            #expect(answer["usage"]?["output_tokens"]?.intValue ?? 0 > 0)
        }
    }

    @Test("A text reply ends the turn")
    func textReply() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("Hi.")])
            let answer = try await TestClient.postJSON(
                .anthropic, TestClient.Provider.anthropic.body(), to: server.baseURL())
            #expect(answer["content"] == [["type": "text", "text": "Hi."]])
            #expect(answer["stop_reason"] == "end_turn")
        }
    }

    @Test("A streamed reply is message_start, content blocks with text_delta and input_json_delta, message_stop")
    func streamed() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.textAndToolCalls("Let me look.", [("grep", #"{"pattern":"TODO"}"#)])])
            let (data, response) = try await TestClient.post(
                .anthropic, TestClient.Provider.anthropic.body(stream: true), to: server.baseURL())
            #expect(response.statusCode == 200)
            #expect(response.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/event-stream") == true)
            let events = TestClient.events(in: data)
            #expect(events.allSatisfy { $0.json?["type"]?.stringValue == $0.name })
            let names = events.compactMap(\.name).filter { $0 != "ping" }
            #expect(names.first == "message_start")
            #expect(names.suffix(2) == ["message_delta", "message_stop"])
            #expect(events.first?.json?["message"]?["usage"]?["input_tokens"] == 3)

            let starts = events.filter { $0.name == "content_block_start" }.compactMap { $0.json?["content_block"] }
            #expect(
                starts == [
                    ["type": "text", "text": ""], ["type": "tool_use", "id": "call_1", "name": "grep", "input": [:]],
                ])
            let deltas = events.filter { $0.name == "content_block_delta" }.compactMap(\.json)
            let text = deltas.filter { $0["index"] == 0 }.compactMap { $0["delta"]?["text"]?.stringValue }
            #expect(text.count > 1)
            #expect(text.joined() == "Let me look.")
            let json = deltas.filter { $0["index"] == 1 }
            #expect(json.allSatisfy { $0["delta"]?["type"] == "input_json_delta" })
            #expect(json.compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined() == #"{"pattern":"TODO"}"#)
            #expect(events.filter { $0.name == "content_block_stop" }.count == 2)

            let messageDelta = try #require(events.first { $0.name == "message_delta" }?.json)
            #expect(messageDelta["delta"]?["stop_reason"] == "tool_use")
            #expect(messageDelta["usage"]?["output_tokens"]?.intValue ?? 0 > 0)
        }
    }

    @Test(
        "Invalid requests get the real 400 shape",
        arguments: [
            // The system prompt sent as a message.
            FakeJSON.object([
                "model": "m", "max_tokens": 10,
                "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"]],
            ]),
            // No max_tokens.
            ["model": "m", "messages": [["role": "user", "content": "Hi"]]],
            // A tool_use left without its tool_result.
            [
                "model": "m", "max_tokens": 10,
                "messages": [
                    ["role": "user", "content": "Hi"],
                    [
                        "role": "assistant",
                        "content": [["type": "tool_use", "id": "call_1", "name": "f", "input": [:]]],
                    ],
                    ["role": "user", "content": "and?"],
                ],
            ],
        ])
    func invalid(body: FakeJSON) async throws {
        try await FakeModelServer.withServer { server in
            let (data, response) = try await TestClient.post(.anthropic, body, to: server.baseURL())
            #expect(response.statusCode == 400)
            let answer = try #require(FakeJSON(data: data))
            #expect(answer["type"] == "error")
            #expect(answer["error"]?["type"] == "invalid_request_error")
            #expect(answer["error"]?["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("A conversation with tool results and a system prompt is accepted and recorded")
    func toolRoundTrip() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.toolCalls([("read_file", #"{"path":"a"}"#)]), .text("The file says hi.")], for: "s1")
            let base = server.baseURL(for: "s1")
            let first = try await TestClient.postJSON(.anthropic, TestClient.Provider.anthropic.body(), to: base)
            let toolUse = try #require(first["content"]?[0])
            let second: FakeJSON = [
                "model": "test-model", "max_tokens": 1024, "system": "You are terse.",
                "tools": [["name": "read_file", "description": "Reads a file", "input_schema": ["type": "object"]]],
                "messages": [
                    ["role": "user", "content": "Hello"],
                    ["role": "assistant", "content": [toolUse]],
                    [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": toolUse["id"] ?? nil, "content": "hi"]],
                    ],
                ],
            ]
            let answer = try await TestClient.postJSON(.anthropic, second, to: base)
            #expect(answer["content"]?[0]?["text"] == "The file says hi.")

            let recorded = server.requests(for: "s1")
            #expect(recorded.count == 2)
            #expect(recorded.allSatisfy { $0.api == .anthropicMessages && $0.path == "/sessions/s1/v1/messages" })
            #expect(recorded.allSatisfy { $0.header("X-API-Key") == "sk-ant-test" })
            #expect(recorded[1].header("anthropic-version") == "2023-06-01")
            #expect(recorded[1].json?["system"] == "You are terse.")
            #expect(recorded[1].json?["messages"]?[2]?["content"]?[0]?["tool_use_id"] == "call_1")
            #expect(
                recorded.map(\.step) == [.toolCalls([("read_file", #"{"path":"a"}"#)]), .text("The file says hi.")])
            #expect(server.requests(for: nil).isEmpty)
        }
    }
}
