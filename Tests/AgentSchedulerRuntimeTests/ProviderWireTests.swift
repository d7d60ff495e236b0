import Foundation
import Testing

@testable import AgentSchedulerRuntime

@Suite("Provider wire formats: SSE, retry hints, request bodies")
struct ProviderWireTests {
    @Test(
        "an SSE stream cut into pieces of any size gives the same events",
        arguments: [1, 2, 3, 7, 64, 4096])
    func sseInPieces(pieceSize: Int) {
        let text =
            "event: message_start\ndata: {\"a\":1}\n\n: comment\ndata: line one\r\ndata: line two\r\n\r\ndata: [DONE]\n\n"
        let bytes = Array(text.utf8)
        var parser = SSEParser()
        var events: [SSEEvent] = []
        var index = 0
        while index < bytes.count {
            events += parser.feed(Data(bytes[index..<min(index + pieceSize, bytes.count)]))
            index += pieceSize
        }
        #expect(
            events == [
                SSEEvent(event: "message_start", data: "{\"a\":1}"), SSEEvent(event: nil, data: "line one\nline two"),
                SSEEvent(event: nil, data: "[DONE]"),
            ])
        #expect(!parser.hasPartialEvent)
    }

    @Test(
        "retry hints are read from Retry-After, OpenAI's reset headers and Anthropic's",
        arguments: [
            (["retry-after": "3"], Duration.seconds(3)),
            (["retry-after": "0.5"], .milliseconds(500)),
            (["x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s"], .seconds(360)),
            (["x-ratelimit-reset-requests": "20ms"], .milliseconds(20)),
            (["x-ratelimit-reset-tokens": "1h2m3.5s"], .milliseconds(3_723_500)),
        ])
    func retryHints(headers: [String: String], expected: Duration) {
        #expect(HTTPFailure.retryAfter(headers) == expected)
    }

    @Test("no retry hint without one of those headers")
    func noRetryHint() {
        #expect(HTTPFailure.retryAfter(["content-type": "application/json"]) == nil)
        #expect(HTTPFailure.goDuration("soon") == nil)
    }

    @Test(
        "HTTP statuses map to failure classes",
        arguments: [
            (429, "rate-limited", true), (500, "server-error", true), (503, "server-error", true),
            (401, "authentication", false), (403, "authentication", false), (400, "bad-request", false),
            (404, "bad-request", false),
        ])
    func statusClasses(status: Int, className: String, retryable: Bool) {
        let failure = HTTPFailure.classify(
            status: status, headers: [:], body: Data(#"{"error":{"message":"nope"}}"#.utf8),
            apiKeyVariable: "OPENAI_API_KEY", attempt: 2)
        #expect(failure.className == className)
        #expect(failure.isRetryable == retryable)
        #expect(failure.attempt == 2)
    }

    @Test("an authentication failure names the environment variable, never a key")
    func authenticationMessage() {
        let failure = ProviderFailure(.authentication(status: 401, environmentVariable: "GITHUB_TOKEN"))
        #expect(failure.description == "authentication failed (401): check the key in $GITHUB_TOKEN")
    }

    static let conversation: [ChatMessage] = [
        .system("Be brief."), .user("Fix it."),
        .assistant("Looking.", toolCalls: [ToolCall(id: "call_1", name: "read", arguments: #"{"path":"a.txt"}"#)]),
        .tool("hello", answering: "call_1"), .user("Also check b."),
    ]

    @Test("the Chat Completions body carries roles, tool calls, tool results and streaming options")
    func openAIBody() throws {
        let tool = ToolDefinition(
            name: "read", description: "Read a file", parameters: .object([("type", .string("object"))]))
        let body = OpenAIClient.body(
            for: ModelRequest(model: "gpt-4.1", messages: Self.conversation, tools: [tool], stream: true))
        let text = body.jsonText
        #expect(
            text
                == #"{"model":"gpt-4.1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Fix it."},{"role":"assistant","content":"Looking.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a.txt\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"hello"},{"role":"user","content":"Also check b."}],"tools":[{"type":"function","function":{"name":"read","description":"Read a file","parameters":{"type":"object"}}}],"tool_choice":"auto","max_tokens":4096,"stream":true,"stream_options":{"include_usage":true}}"#
        )
    }

    @Test("the Messages body moves system out, and puts tool results and steering in one user turn")
    func anthropicBody() throws {
        let body = AnthropicClient.body(for: ModelRequest(model: "claude", messages: Self.conversation, stream: false))
        let text = body.jsonText
        #expect(
            text
                == #"{"model":"claude","max_tokens":4096,"system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"Fix it."}]},{"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"call_1","name":"read","input":{"path":"a.txt"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"hello"},{"type":"text","text":"Also check b."}]}],"stream":false}"#
        )
    }
}
