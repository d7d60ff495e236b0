import AgentSchedulerCore
import Foundation
import NIOCore
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

@Suite("Provider failures: short, redacted excerpts and plain connection errors")
struct ProviderFailureTextTests {
    @Test("a 500 keeps a one-line excerpt of the provider's message")
    func serverErrorMessage() {
        let body = Data(#"{"error":{"message":"Input should be a valid string\n  at messages[2].content"}}"#.utf8)
        let failure = HTTPFailure.classify(
            status: 500, headers: [:], body: body, apiKeyVariable: nil, attempt: 1)
        #expect(failure.description == "server error (500): Input should be a valid string at messages[2].content")
    }

    @Test("a long error body is cut to about 300 characters", arguments: [400, 500])
    func excerptLength(status: Int) {
        let body = Data(("<html>" + String(repeating: "x", count: 5_000) + "</html>").utf8)
        let failure = HTTPFailure.classify(status: status, headers: [:], body: body, apiKeyVariable: nil, attempt: 1)
        #expect(failure.description.count < 400)
        #expect(failure.description.hasSuffix("…"))
    }

    @Test("redaction reaches every text a failure carries")
    func redaction() {
        let redactor = Redactor(secrets: ["sk-echoed-key-123"])
        let failures = [
            ProviderFailure(.badRequest(status: 400, message: "Bearer sk-echoed-key-123")),
            ProviderFailure(.server(status: 500), message: "key sk-echoed-key-123"),
            ProviderFailure(.malformed("a stream chunk is not JSON: sk-echoed-key-123")),
            ProviderFailure(.connection("sk-echoed-key-123")),
        ]
        for failure in failures {
            let text = failure.redacted(by: redactor).description
            #expect(!text.contains("sk-echoed-key-123") && text.contains(Redactor.marker), "\(text)")
        }
    }

    @Test("a refused connection names the endpoint and asks whether the server runs")
    func refused() {
        let error = IOError(errnoCode: ECONNREFUSED, reason: "connection reset (error set)")
        let failure = HTTPFailure.classify(
            error, attempt: 1, endpoint: HTTPFailure.endpoint(of: "http://127.0.0.1:18599/v1/chat/completions"))
        #expect(
            (failure as? ProviderFailure)?.description
                == "cannot connect to http://127.0.0.1:18599/v1 (connection refused); is the server running?")
        #expect((failure as? ProviderFailure)?.isRetryable == true)
    }

    @Test("a refused connection fails at once instead of waiting for the connect timeout")
    func refusedQuickly() async throws {
        let http = HTTPStreamClient(idleTimeout: .seconds(30))
        let client = OpenAIClient(
            baseURL: URL(string: "http://127.0.0.1:9/v1")!, apiKey: nil, apiKeyVariable: nil, http: http)
        let started = ContinuousClock.now
        await #expect(
            throws: ProviderFailure(.unreachable(endpoint: "http://127.0.0.1:9/v1", reason: "connection refused"))
        ) {
            _ = try await client.send(ModelRequest(model: "m", messages: [.user("hi")]), attempt: 1)
        }
        // The time until a down server is reported is measured, not asserted (see the closing note);
        // a loaded machine makes any bound here flaky.
        _ = started
        try await http.shutdown()
    }

    @Test("an error event inside a stream is an error with its message")
    func streamErrorEvent() async throws {
        let chunks = [
            Data(
                #"data: {"error":{"message":"model overloaded, try later","type":"server_error"}}"#.utf8
                    + Array("\n\n".utf8))
        ]
        let body = AsyncThrowingStream<Data, any Error> { continuation in
            chunks.forEach { continuation.yield($0) }
            continuation.finish()
        }
        await #expect(throws: ProviderFailure(.server(status: 500), message: "model overloaded, try later")) {
            _ = try await OpenAIClient.readStream(body, attempt: 1)
        }
    }
}
