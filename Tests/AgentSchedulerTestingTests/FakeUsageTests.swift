import AgentSchedulerTesting
import Foundation
import Testing

/// The usage the fake model server reports (`FakeUsage`), on whole answers and streams, in both dialects.
@Suite("Fake server usage: reported, omitted, cached, within max_tokens")
struct FakeUsageTests {
    typealias Provider = TestClient.Provider

    /// "user" + this text is 48 characters: 12 prompt tokens.
    static let prompt = "Please fix the crash in the parser today!!!!"
    /// 45 characters: 12 completion tokens.
    static let longReply = "This answer is much longer than three tokens."

    static func number(_ value: Int) -> FakeJSON { .number(Double(value)) }

    /// A request body for `provider`, optionally with an output cap under `capKey`.
    static func body(_ provider: Provider, stream: Bool, cap: (key: String, value: Int)? = nil) -> FakeJSON {
        guard case .object(var fields) = provider.body(stream: stream, text: prompt) else { return .null }
        if let cap { fields[cap.key] = number(cap.value) }
        return .object(fields)
    }

    /// The answer to one request scripted with `step`: the whole JSON, or the stream's events.
    static func answer(
        _ provider: Provider, stream: Bool, step: FakeModelStep, cap: (key: String, value: Int)? = nil
    ) async throws -> (whole: FakeJSON?, events: [TestClient.Event], prompt: Int) {
        try await FakeModelServer.withServer { server in
            server.setScript([step], for: "s")
            let body = Self.body(provider, stream: stream, cap: cap)
            let (data, response) = try await TestClient.post(provider, body, to: server.baseURL(for: "s"))
            #expect(response.statusCode == 200)
            let prompt = TokenEstimate.promptTokens(for: body)
            return stream ? (nil, TestClient.events(in: data), prompt) : (FakeJSON(data: data), [], prompt)
        }
    }

    /// The usage an answer reported: OpenAI's `usage` (the last chunk's when streamed); Anthropic's whole
    /// `usage`, or `message_start`'s usage with `message_delta`'s `output_tokens` over it.
    static func usage(
        _ provider: Provider, _ answer: (whole: FakeJSON?, events: [TestClient.Event], prompt: Int)
    )
        -> FakeJSON?
    {
        if let whole = answer.whole { return whole["usage"] }
        let json = answer.events.compactMap(\.json)
        switch provider {
        case .openAI:
            return json.last { $0["usage"] != nil && $0["usage"] != .null }?["usage"]
        case .anthropic:
            guard case .object(var start)? = json.first(where: { $0["type"] == "message_start" })?["message"]?["usage"]
            else { return nil }
            if let output = json.first(where: { $0["type"] == "message_delta" })?["usage"]?["output_tokens"] {
                start["output_tokens"] = output
            }
            return .object(start)
        }
    }

    @Test("the fake server counts 12 prompt tokens for the test prompt and 12 completion tokens for the long reply")
    func estimates() {
        #expect(TokenEstimate.promptTokens(for: Self.body(.openAI, stream: false)) == 12)
        #expect(TokenEstimate.promptTokens(for: Self.body(.anthropic, stream: false)) == 12)
        #expect(TokenEstimate.completionTokens(text: Self.longReply, toolCalls: []) == 12)
        #expect(TokenEstimate.completionTokens(text: "Done.", toolCalls: []) == 2)
    }

    @Test("reported usage has the counts and no cache parts", arguments: Provider.allCases, [false, true])
    func reported(provider: Provider, stream: Bool) async throws {
        let answer = try await Self.answer(provider, stream: stream, step: .reply(text: "Done.", toolCalls: []))
        let usage = Self.usage(provider, answer)
        switch provider {
        case .openAI:
            #expect(usage == ["prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14])
        case .anthropic:
            #expect(
                usage == [
                    "input_tokens": 12, "output_tokens": 2, "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                ])
        }
    }

    @Test(
        "cached(read:written:) is OpenAI's cached_tokens inside prompt_tokens, Anthropic's cache fields beside input",
        arguments: Provider.allCases, [false, true])
    func cached(provider: Provider, stream: Bool) async throws {
        let answer = try await Self.answer(
            provider, stream: stream, step: .reply(text: "Done.", toolCalls: [], usage: .cached(read: 4, written: 2)))
        let usage = Self.usage(provider, answer)
        switch provider {
        case .openAI:
            #expect(
                usage == [
                    "prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14,
                    "prompt_tokens_details": ["cached_tokens": 4, "audio_tokens": 0],
                ])
        case .anthropic:
            #expect(
                usage == [
                    "input_tokens": 6, "output_tokens": 2, "cache_creation_input_tokens": 2,
                    "cache_read_input_tokens": 4,
                ])
        }
    }

    @Test("cache figures larger than the prompt are held to it", arguments: Provider.allCases, [false, true])
    func cachedBeyondPrompt(provider: Provider, stream: Bool) async throws {
        let answer = try await Self.answer(
            provider, stream: stream, step: .reply(text: "Done.", toolCalls: [], usage: .cached(read: 10, written: 9)))
        let usage = Self.usage(provider, answer)
        switch provider {
        case .openAI:
            #expect(usage?["prompt_tokens"] == 12)
            #expect(usage?["prompt_tokens_details"]?["cached_tokens"] == 10)
        case .anthropic:
            #expect(
                usage == [
                    "input_tokens": 0, "output_tokens": 2, "cache_creation_input_tokens": 2,
                    "cache_read_input_tokens": 10,
                ])
        }
    }

    @Test(
        "omitted usage leaves out every usage field, whole and streamed", arguments: Provider.allCases, [false, true])
    func omitted(provider: Provider, stream: Bool) async throws {
        let answer = try await Self.answer(
            provider, stream: stream, step: .reply(text: "Done.", toolCalls: [], usage: .omitted))
        if let whole = answer.whole {
            #expect(whole["usage"] == nil)
            #expect(whole["choices"] != nil || whole["content"] != nil)
        } else {
            let json = answer.events.compactMap(\.json)
            #expect(!json.isEmpty)
            #expect(json.allSatisfy { $0["usage"] == nil && $0["message"]?["usage"] == nil })
            if provider == .openAI {
                #expect(answer.events.last?.data == "[DONE]")
                #expect(json.allSatisfy { $0["choices"] != [] })
            }
        }
    }

    @Test(
        "the output count never passes the request's cap",
        arguments: [
            (Provider.openAI, "max_tokens"), (.openAI, "max_completion_tokens"), (.anthropic, "max_tokens"),
        ] as [(Provider, String)], [false, true])
    func withinMaxTokens(cap: (Provider, String), stream: Bool) async throws {
        let capped = (provider: cap.0, key: cap.1)
        for usage in [FakeUsage.reported, .cached(read: 1, written: 1)] {
            let answer = try await Self.answer(
                capped.provider, stream: stream, step: .reply(text: Self.longReply, toolCalls: [], usage: usage),
                cap: (capped.key, 3))
            let reported = Self.usage(capped.provider, answer)
            let output = capped.provider == .openAI ? reported?["completion_tokens"] : reported?["output_tokens"]
            #expect(output == 3)
            if capped.provider == .openAI { #expect(reported?["total_tokens"] == 15) }
        }
        let roomy = try await Self.answer(
            capped.provider, stream: stream, step: .reply(text: Self.longReply, toolCalls: []), cap: (capped.key, 100))
        let reported = Self.usage(capped.provider, roomy)
        #expect((capped.provider == .openAI ? reported?["completion_tokens"] : reported?["output_tokens"]) == 12)
    }
}
