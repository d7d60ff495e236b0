import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// What providers report a request used (DESIGN §9): cache reads and writes split out, usage
/// missing marked estimated, output within `max_tokens`, streams asking for usage.
@Suite("Provider usage: cache fields, missing usage and max_tokens")
struct ProviderUsageTests {
    typealias Provider = ProviderHTTPTests.Provider

    static let reply = "Fixed it."
    /// "This answer is much longer than three tokens.": 45 characters, 12 tokens to the fake server.
    static let longReply = "This answer is much longer than three tokens."

    static let request = ModelRequest(
        model: "m",
        messages: [
            .system("You fix bugs in Swift packages and explain what you changed."),
            .user("Issue #1: the parser crashes on empty input; please fix it and add a test for it."),
        ])

    /// Sends `request` to a fake server answering `step`, and returns the answer with the body the server saw.
    static func exchange(
        _ provider: Provider, stream: Bool, step: FakeModelStep, maxTokens: Int = 4_096
    ) async throws -> (ModelResponse, FakeJSON, ModelRequest) {
        try await FakeModelServer.withServer { server in
            let key = "\(provider)-\(stream)"
            server.setScript([step], for: key)
            var request = Self.request
            request.stream = stream
            request.maxTokens = maxTokens
            let response = try await ProviderHTTPTests.withClient(provider, server: server, key: key) { client in
                try await client.send(request, attempt: 1)
            }
            let received = server.requests(for: key)
            #expect(received.count == 1)
            let body = try #require(received.last?.json)
            return (response, body, request)
        }
    }

    @Test(
        "cached usage: OpenAI's cached_tokens and Anthropic's cache reads and writes, split out in counts",
        arguments: Provider.allCases, [true, false])
    func cachedUsage(provider: Provider, stream: Bool) async throws {
        let (response, body, _) = try await Self.exchange(
            provider, stream: stream, step: .reply(text: Self.reply, toolCalls: [], usage: .cached(read: 8, written: 3))
        )
        #expect(response.message.content == Self.reply)
        let prompt = TokenEstimate.promptTokens(for: body)
        #expect(prompt > 11)
        #expect(!response.usage.estimated)
        switch provider {
        case .openai:
            // OpenAI reports cache reads only; prompt_tokens includes them.
            #expect(response.usage == TokenUsage(input: prompt, output: 3, cachedInput: 8))
            #expect(response.usage.counts == TokenCounts(input: prompt - 8, cachedInput: 8, cacheWrite: 0, output: 3))
        case .anthropic:
            // input_tokens excludes both cache fields; the client adds them back in.
            #expect(response.usage == TokenUsage(input: prompt, output: 3, cachedInput: 8, cacheWrite: 3))
            #expect(response.usage.counts == TokenCounts(input: prompt - 11, cachedInput: 8, cacheWrite: 3, output: 3))
        }
        #expect(response.usage.counts.promptTokens == prompt)
    }

    @Test(
        "plainly reported usage has no cache parts and is not estimated", arguments: Provider.allCases, [true, false])
    func reportedUsage(provider: Provider, stream: Bool) async throws {
        let (response, body, _) = try await Self.exchange(
            provider, stream: stream, step: .reply(text: Self.reply, toolCalls: [], usage: .reported))
        let prompt = TokenEstimate.promptTokens(for: body)
        #expect(response.usage == TokenUsage(input: prompt, output: 3))
        #expect(response.usage.counts == TokenCounts(input: prompt, output: 3))
    }

    @Test(
        "an answer without usage gets the client's estimate, marked estimated", arguments: Provider.allCases,
        [true, false])
    func omittedUsage(provider: Provider, stream: Bool) async throws {
        let (response, _, request) = try await Self.exchange(
            provider, stream: stream, step: .reply(text: Self.reply, toolCalls: [], usage: .omitted))
        #expect(response.message.content == Self.reply)
        #expect(response.usage.estimated)
        #expect(response.usage.input == TokenEstimator.promptTokens(for: request))
        #expect(response.usage.output == TokenEstimator.completionTokens(for: response.message))
        #expect(response.usage.cachedInput == 0 && response.usage.cacheWrite == 0)
        #expect(response.usage.input > 0 && response.usage.output == 3)
    }

    @Test(
        "the reported output never passes the max_tokens the request sent",
        arguments: Provider.allCases, [true, false])
    func outputWithinMaxTokens(provider: Provider, stream: Bool) async throws {
        for usage in [FakeUsage.reported, .cached(read: 4, written: 2)] {
            let (response, body, _) = try await Self.exchange(
                provider, stream: stream, step: .reply(text: Self.longReply, toolCalls: [], usage: usage), maxTokens: 3)
            #expect(body["max_tokens"]?.intValue == 3)
            #expect(TokenEstimate.completionTokens(text: Self.longReply, toolCalls: []) == 12)
            #expect(response.usage.output == 3)
            #expect(!response.usage.estimated)
        }
        let (roomy, _, _) = try await Self.exchange(
            provider, stream: stream, step: .reply(text: Self.longReply, toolCalls: [], usage: .reported), maxTokens: 50
        )
        #expect(roomy.usage.output == 12)
    }

    @Test("OpenAI streaming requests ask for usage with stream_options.include_usage; whole requests do not")
    func includeUsage() async throws {
        let (_, streamed, _) = try await Self.exchange(.openai, stream: true, step: .text(Self.reply))
        #expect(streamed["stream"]?.boolValue == true)
        #expect(streamed["stream_options"]?["include_usage"]?.boolValue == true)
        let (_, whole, _) = try await Self.exchange(.openai, stream: false, step: .text(Self.reply))
        #expect(whole["stream"]?.boolValue == false)
        #expect(whole["stream_options"] == nil)
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    @Test(
        "OpenAIClient.reportedUsage reads prompt_tokens_details.cached_tokens as part of prompt_tokens",
        arguments: [
            (
                #"{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60}}"#,
                TokenUsage(input: 100, output: 20, cachedInput: 60)
            ),
            (#"{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}"#, TokenUsage(input: 100, output: 20)),
            (
                #"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":50}}"#,
                TokenUsage(input: 10, output: 1, cachedInput: 10)
            ),
            (
                #"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":-5}}"#,
                TokenUsage(input: 10, output: 1)
            ),
            (
                #"{"prompt_tokens":10,"completion_tokens":1,"prompt_tokens_details":null}"#,
                TokenUsage(input: 10, output: 1)
            ),
        ] as [(String, TokenUsage)])
    func openAIReportedUsage(text: String, usage: TokenUsage) throws {
        #expect(OpenAIClient.reportedUsage(try Self.json(text)) == usage)
    }

    @Test("OpenAIClient.reportedUsage is nil when no counts were sent")
    func openAINoUsage() throws {
        #expect(OpenAIClient.reportedUsage(nil) == nil)
        #expect(OpenAIClient.reportedUsage(.null) == nil)
        #expect(OpenAIClient.reportedUsage(try Self.json("{}")) == nil)
        #expect(OpenAIClient.reportedUsage(try Self.json(#"{"total_tokens":5}"#)) == nil)
        let cached = try #require(
            OpenAIClient.reportedUsage(
                try Self.json(
                    #"{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60}}"#)))
        #expect(cached.counts == TokenCounts(input: 40, cachedInput: 60, cacheWrite: 0, output: 20))
    }

    @Test(
        "AnthropicClient.reportedUsage adds cache reads and writes to input_tokens",
        arguments: [
            (
                #"{"input_tokens":40,"cache_read_input_tokens":50,"cache_creation_input_tokens":10,"output_tokens":5}"#,
                TokenUsage(input: 100, output: 5, cachedInput: 50, cacheWrite: 10)
            ),
            (#"{"input_tokens":40,"output_tokens":5}"#, TokenUsage(input: 40, output: 5)),
            (
                #"{"input_tokens":0,"cache_read_input_tokens":3,"cache_creation_input_tokens":0,"output_tokens":1}"#,
                TokenUsage(input: 3, output: 1, cachedInput: 3)
            ),
            (#"{"input_tokens":-5,"output_tokens":-1}"#, TokenUsage(input: 0, output: 0)),
        ] as [(String, TokenUsage)])
    func anthropicReportedUsage(text: String, usage: TokenUsage) throws {
        #expect(AnthropicClient.reportedUsage(try Self.json(text)) == usage)
    }

    @Test("AnthropicClient.reportedUsage: a message_delta keeps what message_start said and updates the rest")
    func anthropicDelta() throws {
        let start = try #require(
            AnthropicClient.reportedUsage(
                try Self.json(
                    #"{"input_tokens":40,"cache_read_input_tokens":50,"cache_creation_input_tokens":10,"output_tokens":1}"#
                )))
        #expect(start == TokenUsage(input: 100, output: 1, cachedInput: 50, cacheWrite: 10))
        #expect(
            AnthropicClient.reportedUsage(try Self.json(#"{"output_tokens":25}"#), after: start)
                == TokenUsage(input: 100, output: 25, cachedInput: 50, cacheWrite: 10))
        #expect(
            AnthropicClient.reportedUsage(
                try Self.json(
                    #"{"input_tokens":40,"cache_read_input_tokens":50,"cache_creation_input_tokens":10,"output_tokens":25}"#
                ), after: start) == TokenUsage(input: 100, output: 25, cachedInput: 50, cacheWrite: 10))
        #expect(AnthropicClient.reportedUsage(nil, after: start) == nil)
        #expect(AnthropicClient.reportedUsage(try Self.json("{}"), after: start) == nil)
        // An estimated (unreported) start is no base: the delta's own counts replace it.
        #expect(
            AnthropicClient.reportedUsage(
                try Self.json(#"{"input_tokens":9,"cache_read_input_tokens":2,"output_tokens":7}"#), after: .unreported)
                == TokenUsage(input: 11, output: 7, cachedInput: 2))
    }

    @Test("AnthropicClient.reportedUsage: a delta with new cache reads but no input_tokens keeps input ≥ its parts")
    func anthropicDeltaCacheWithoutInput() throws {
        let start = try #require(
            AnthropicClient.reportedUsage(try Self.json(#"{"input_tokens":40,"output_tokens":1}"#)))
        let usage = try #require(
            AnthropicClient.reportedUsage(
                try Self.json(#"{"cache_read_input_tokens":60,"output_tokens":5}"#), after: start))
        #expect(usage.cachedInput == 60)
        #expect(usage.output == 5)
        #expect(usage.input == 100)
        #expect(usage.counts.promptTokens == 100)
    }

    @Test("an Anthropic stream's usage comes from message_start and message_delta together")
    func anthropicStream() async throws {
        let events = [
            #"event: message_start"#,
            #"data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_read_input_tokens":30,"cache_creation_input_tokens":8,"output_tokens":1}}}"#,
            "",
            #"event: content_block_start"#,
            #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            "",
            #"event: content_block_delta"#,
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Done."}}"#,
            "",
            #"event: content_block_stop"#,
            #"data: {"type":"content_block_stop","index":0}"#,
            "",
            #"event: message_delta"#,
            #"data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}"#,
            "",
            #"event: message_stop"#,
            #"data: {"type":"message_stop"}"#,
            "", "",
        ].joined(separator: "\n")
        let response = try await AnthropicClient.readStream(OpenAIStreamTests.stream(events), attempt: 1)
        #expect(response.message.content == "Done.")
        #expect(response.usage == TokenUsage(input: 50, output: 42, cachedInput: 30, cacheWrite: 8))
        #expect(response.usage.counts == TokenCounts(input: 12, cachedInput: 30, cacheWrite: 8, output: 42))
    }

    @Test("an OpenAI stream's usage chunk with cached tokens is read after the last choice")
    func openAIStream() async throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Done."}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"choices":[],"usage":{"prompt_tokens":90,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":64}}}

            data: [DONE]


            """
        let response = try await OpenAIClient.readStream(OpenAIStreamTests.stream(body), attempt: 1)
        #expect(response.usage == TokenUsage(input: 90, output: 4, cachedInput: 64))
        #expect(response.usage.counts == TokenCounts(input: 26, cachedInput: 64, output: 4))
    }

    static let boundRequest = ModelRequest(
        model: "m",
        messages: [
            .system("ab"), .user("héllo — 日本語"),
            .assistant("", toolCalls: [ToolCall(id: "call_1", name: "read", arguments: #"{"path":"a.txt"}"#)]),
            .tool("naïve ünïcödé", answering: "call_1"),
        ],
        tools: [
            ToolDefinition(
                name: "read", description: "Read a file",
                parameters: .object([("type", .string("object")), ("properties", .object([]))]))
        ])

    @Test("promptTokenBound counts every UTF-8 byte, plus the framing per message, per tool and once more")
    func promptTokenBound() {
        let request = Self.boundRequest
        let contentBytes = request.messages.reduce(0) { $0 + $1.content.utf8.count }
        for framing in [0, 1, 8, 100] {
            #expect(request.promptTokenBound(framingPerMessage: framing) >= contentBytes)
        }
        // 4 messages + 1 tool + the request: 6 framings.
        let bare = request.promptTokenBound(framingPerMessage: 0)
        #expect(request.promptTokenBound(framingPerMessage: 10) == bare + 60)
        #expect(request.promptTokenBound(framingPerMessage: 11) > request.promptTokenBound(framingPerMessage: 10))
        // "system"+"ab" + "user"+"héllo — 日本語" + "assistant"+"call_1"+"read"+{"path":"a.txt"}
        // + "tool"+"naïve ünïcödé"+"call_1" + "read"+"Read a file"+the schema's JSON.
        let schema = ToolDefinition(
            name: "read", description: "Read a file",
            parameters: .object([("type", .string("object")), ("properties", .object([]))])
        ).parameters.jsonText.utf8.count
        let expected =
            (6 + 2) + (4 + "héllo — 日本語".utf8.count) + (9 + 6 + 4 + 16) + (4 + "naïve ünïcödé".utf8.count + 6)
            + (4 + 11 + schema)
        #expect("héllo — 日本語".utf8.count == 20)
        #expect(bare == expected)
        #expect(ModelRequest(model: "m", messages: []).promptTokenBound(framingPerMessage: 7) == 7)
    }

    @Test("promptTokenBound is at least the prompt tokens the fake server counts for the same request")
    func boundCoversServerCount() async throws {
        for provider in Provider.allCases {
            let (response, _, request) = try await Self.exchange(
                provider, stream: false, step: .reply(text: Self.reply, toolCalls: [], usage: .reported))
            #expect(request.promptTokenBound(framingPerMessage: 0) >= response.usage.input)
        }
    }
}
