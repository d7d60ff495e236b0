import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// Records why the resilient client fell back from streaming.
actor FallbackLog {
    private(set) var reasons: [String] = []
    func record(_ reason: String) { reasons.append(reason) }
}

@Suite("Local model servers: what every request carries, and llama.cpp's quirks over HTTP")
struct LocalServerTests {
    static let readTool = ToolDefinition(
        name: "read", description: "Read a file",
        parameters: .object([("type", .string("object")), ("properties", .object([]))]))

    static func request(
        tools: [ToolDefinition] = [readTool], stream: Bool = true, maxTokens: Int = 512
    )
        -> ModelRequest
    {
        ModelRequest(
            model: "smollm2", messages: [.system("You fix bugs."), .user("Issue #1: crash")], tools: tools,
            stream: stream, maxTokens: maxTokens)
    }

    static func withLlama<T>(
        key: String, _ body: (FakeModelServer, OpenAIClient) async throws -> T
    ) async throws -> T {
        try await FakeModelServer.withServer(flavor: .llamaCpp) { server in
            let http = HTTPStreamClient(maxConnections: 4, idleTimeout: .seconds(60), bodyLimit: 1 << 20)
            let client = OpenAIClient(
                baseURL: server.baseURL(for: key).appendingPathComponent("v1"), apiKey: nil, apiKeyVariable: nil,
                http: http)
            do {
                let result = try await body(server, client)
                try await http.shutdown()
                return result
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }

    @Test("tool_choice auto goes with offered tools, and only with them")
    func toolChoiceWithTools() {
        let withTools = OpenAIClient.body(for: Self.request())
        #expect(withTools["tool_choice"] == .string("auto"))
        let without = OpenAIClient.body(for: Self.request(tools: []))
        #expect(without["tool_choice"] == nil)
        #expect(without["tools"] == nil)
    }

    @Test(
        "every request carries an output cap, named as the host expects",
        arguments: [
            ("http://127.0.0.1:8080/v1", "max_tokens"), ("http://localhost:11434/v1", "max_tokens"),
            ("https://api.openai.com/v1", "max_completion_tokens"),
            ("https://models.github.ai/inference", "max_completion_tokens"),
            ("https://acme.openai.azure.com/openai/deployments/gpt", "max_completion_tokens"),
        ])
    func outputCap(base: String, key: String) throws {
        let client = OpenAIClient(
            baseURL: try #require(URL(string: base)), apiKey: nil, apiKeyVariable: nil, http: HTTPStreamClient())
        let body = OpenAIClient.body(
            for: Self.request(maxTokens: 777),
            capKey: client.capsCompletionTokens ? "max_completion_tokens" : "max_tokens")
        #expect(body[key] == .number("777"))
        #expect(body[key == "max_tokens" ? "max_completion_tokens" : "max_tokens"] == nil)
    }

    @Test("an assistant turn that only calls tools is sent with empty content, never null")
    func toolOnlyTurnContent() {
        let message = OpenAIClient.message(
            .assistant("", toolCalls: [ToolCall(id: "call_1", name: "read", arguments: "{}")]))
        #expect(message["content"] == .string(""))
    }

    @Test("without tool_choice llama.cpp ignores the tools: the scripted call arrives as text")
    func llamaIgnoresToolsWithoutChoice() async throws {
        try await Self.withLlama(key: "ignored") { server, client in
            server.setScript([.toolCalls([("read", #"{"path":"README.md"}"#)])], for: "ignored")
            var body = OpenAIClient.body(for: Self.request(stream: false))
            if case .object(let entries) = body { body = .object(entries.filter { $0.key != "tool_choice" }) }
            let (status, text) = try await Self.post(body, with: client)
            #expect(status == 200)
            #expect(text.contains("I would use read"))
            #expect(!text.contains("tool_calls\":["))
        }
    }

    @Test("llama.cpp refuses content null with pydantic's 500; the client's empty content passes")
    func llamaNullContent() async throws {
        try await Self.withLlama(key: "null") { server, client in
            server.setScript([.text("fine")], for: "null")
            var request = Self.request(stream: false)
            request.messages += [
                .assistant("", toolCalls: [ToolCall(id: "call_1", name: "read", arguments: "{}")]),
                .tool("# README", answering: "call_1"),
            ]
            var body = OpenAIClient.body(for: request)
            body = Self.replacingAssistantContent(in: body, with: .null)
            let (status, text) = try await Self.post(body, with: client)
            #expect(status == 500)
            #expect(text.contains("Input should be a valid string"))
            #expect(server.remainingSteps(for: "null") == 1)
            let response = try await client.send(request, attempt: 1)
            #expect(response.message.content == "fine")
        }
    }

    @Test("a streamed request with tools gets an empty 200; the client asks once more without streaming")
    func llamaStreamedToolChoiceFallsBack() async throws {
        try await Self.withLlama(key: "fallback") { server, client in
            server.setScript([.toolCalls([("read", #"{"path":"README.md"}"#)])], for: "fallback")
            let fallbacks = FallbackLog()
            let failures = FailureLog()
            let response = try await ResilientModelClient(client: client, sleep: { _ in }).send(
                Self.request(), onFailure: { await failures.record($0, $1) },
                onStreamFallback: { await fallbacks.record($0) })
            #expect(response.message.toolCalls.map(\.name) == ["read"])
            #expect(response.fellBackFromStreaming)
            #expect(await fallbacks.reasons == ["the answer was an empty stream; asking again without streaming"])
            #expect(await failures.failures.isEmpty)
            let sent = server.requests(for: "fallback").map { $0.json?["stream"]?.boolValue }
            #expect(sent == [true, false])
        }
    }

    @Test("a stream without usage gets estimated usage, marked estimated; whole answers keep the server's")
    func llamaStreamUsageEstimated() async throws {
        try await Self.withLlama(key: "usage") { server, client in
            server.setScript([.text("Nothing to fix here."), .text("Nothing to fix here.")], for: "usage")
            let streamed = try await client.send(Self.request(tools: []), attempt: 1)
            #expect(streamed.usage.estimated)
            #expect(streamed.usage.input == TokenEstimator.promptTokens(for: Self.request(tools: [])))
            #expect(streamed.usage.output == TokenEstimator.completionTokens(for: streamed.message))
            #expect(streamed.usage.input > 0 && streamed.usage.output > 0)
            let whole = try await client.send(Self.request(tools: [], stream: false), attempt: 1)
            #expect(!whole.usage.estimated)
            #expect(whole.usage.output == TokenEstimate.completionTokens(text: "Nothing to fix here.", toolCalls: []))
        }
    }

    @Test("estimated tokens count for tpm: the second request waits for the window")
    func estimatedTokensCountForTPM() async throws {
        try await Self.withLlama(key: "tpm") { server, client in
            server.setScript([.text(String(repeating: "word ", count: 200)), .text("short")], for: "tpm")
            let sleeps = SleepLog()
            let limiter = RequestRateLimiter(requestsPerMinute: nil, tokensPerMinute: 100)
            let resilient = ResilientModelClient(client: client, limiter: limiter, sleep: { await sleeps.record($0) })
            let first = try await resilient.send(Self.request(tools: []))
            #expect(first.usage.estimated && first.usage.total > 100)
            // The window is full: the limiter asks to wait, and this sleep ends the request there.
            let waiting = ResilientModelClient(
                client: client, limiter: limiter,
                sleep: { duration in
                    await sleeps.record(duration)
                    throw CancellationError()
                })
            await #expect(throws: CancellationError.self) { _ = try await waiting.send(Self.request(tools: [])) }
            #expect(await sleeps.waits.count == 1)
        }
    }

    @Test("an error inside a llama.cpp stream is a failure, retried, not an answer")
    func llamaErrorInStream() async throws {
        try await Self.withLlama(key: "error") { server, client in
            server.setScript([.serverError(500), .text("recovered")], for: "error")
            let failures = FailureLog()
            let response = try await ResilientModelClient(client: client, sleep: { _ in }).send(
                Self.request(tools: []), onFailure: { await failures.record($0, $1) })
            #expect(response.message.content == "recovered")
            #expect(await failures.failures == ["server-error 1"])
            let first = try #require(server.requests(for: "error").first)
            #expect(first.json?["stream"]?.boolValue == true)
        }
    }

    /// Posts `body` as it is to the client's endpoint: the status and the whole answer.
    static func post(_ body: JSONValue, with client: OpenAIClient) async throws -> (Int, String) {
        var raw = client.makeRequest(Self.request(stream: false))
        raw.body = .bytes(body.jsonData)
        let (head, answer) = try await client.http.send(raw)
        var data = Data()
        for try await chunk in answer { data.append(chunk) }
        return (head.status, String(decoding: data, as: UTF8.self))
    }

    /// `body` with the content of every assistant message replaced.
    static func replacingAssistantContent(in body: JSONValue, with content: JSONValue) -> JSONValue {
        guard case .object(let entries) = body else { return body }
        return .object(
            entries.map { entry in
                guard entry.key == "messages", case .array(let messages) = entry.value else { return entry }
                return (
                    entry.key,
                    .array(
                        messages.map { message in
                            guard message["role"] == .string("assistant"), case .object(let fields) = message else {
                                return message
                            }
                            return .object(fields.map { $0.key == "content" ? ($0.key, content) : $0 })
                        })
                )
            })
    }
}
