import AgentSchedulerCore
import AsyncHTTPClient
import Foundation

/// Chat Completions with tool calls: OpenAI, GitHub Models, Azure OpenAI, Ollama, vLLM, llama.cpp.
///
/// Differences between them that matter here: Azure wants an `api-key` header and an
/// `api-version` query instead of a bearer token; local servers (Ollama, llama.cpp, vLLM) need no
/// key, may send a whole tool call in one delta and without an `index`, and may end a stream
/// without `[DONE]` after a `finish_reason`. All of these are accepted.
///
/// What every request carries, because local servers need it: `tool_choice: "auto"` whenever tools
/// are offered (llama.cpp leaves the tools out of the prompt without it, vLLM calls none), an output
/// cap (`max_completion_tokens` on OpenAI's own hosts, whose reasoning models refuse `max_tokens`;
/// `max_tokens` elsewhere), and `content: ""` rather than `null` on an assistant turn that only calls
/// tools (llama.cpp answers 500 to `null`). An answer without usage gets estimated usage
/// (`TokenEstimator`), marked `estimated`.
public struct OpenAIClient: ModelClient {
    public var baseURL: URL
    public var apiKey: String?
    /// Named in authentication errors, never the key itself.
    public var apiKeyVariable: String?
    public var http: HTTPStreamClient

    public init(baseURL: URL, apiKey: String?, apiKeyVariable: String?, http: HTTPStreamClient) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.http = http
    }

    var isAzure: Bool { baseURL.host?.hasSuffix(".openai.azure.com") ?? false }

    /// Whether the host is OpenAI's own (OpenAI, Azure OpenAI, GitHub Models), which takes the
    /// output cap as `max_completion_tokens`.
    var capsCompletionTokens: Bool {
        guard let host = baseURL.host?.lowercased() else { return false }
        return isAzure || host == "api.openai.com" || host == "models.github.ai"
            || host == "models.inference.ai.azure.com"
    }

    public func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        let response = try await http.exchange(
            makeRequest(request), stream: request.stream, apiKeyVariable: apiKeyVariable, attempt: attempt,
            readStream: { try await Self.readStream($0, attempt: attempt) },
            decode: { try Self.decodeCompletion($0, attempt: attempt) })
        return TokenEstimator.filling(response, for: request)
    }

    func makeRequest(_ request: ModelRequest) -> HTTPClientRequest {
        var url = baseURL.appendingPathComponent("chat/completions")
        if isAzure, var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            !(components.queryItems ?? []).contains(where: { $0.name == "api-version" })
        {
            components.queryItems =
                (components.queryItems ?? []) + [URLQueryItem(name: "api-version", value: "2024-10-21")]
            url = components.url ?? url
        }
        var httpRequest = HTTPClientRequest(url: url.absoluteString)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: request.stream ? "text/event-stream" : "application/json")
        if let apiKey, !apiKey.isEmpty {
            if isAzure {
                httpRequest.headers.add(name: "api-key", value: apiKey)
            } else {
                httpRequest.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
            }
        }
        httpRequest.body = .bytes(
            Self.body(for: request, capKey: capsCompletionTokens ? "max_completion_tokens" : "max_tokens").jsonData)
        return httpRequest
    }

    /// The Chat Completions request body; `capKey` names the output cap (`max_tokens` or
    /// `max_completion_tokens`).
    static func body(for request: ModelRequest, capKey: String = "max_tokens") -> JSONValue {
        var entries: [(key: String, value: JSONValue)] = [
            ("model", .string(request.model)),
            ("messages", .array(request.messages.map(message))),
        ]
        if !request.tools.isEmpty {
            entries.append(
                (
                    "tools",
                    .array(
                        request.tools.map { tool in
                            .object([
                                ("type", .string("function")),
                                (
                                    "function",
                                    .object([
                                        ("name", .string(tool.name)), ("description", .string(tool.description)),
                                        ("parameters", tool.parameters),
                                    ])
                                ),
                            ])
                        })
                ))
            entries.append(("tool_choice", .string("auto")))
        }
        entries.append((capKey, .number(String(request.maxTokens))))
        entries.append(("stream", .bool(request.stream)))
        if request.stream {
            entries.append(("stream_options", .object([("include_usage", .bool(true))])))
        }
        return .object(entries)
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        switch message.role {
        case .system, .user:
            return .object([("role", .string(message.role.rawValue)), ("content", .string(message.content))])
        case .tool:
            return .object([
                ("role", .string("tool")), ("tool_call_id", .string(message.toolCallID ?? "")),
                ("content", .string(message.content)),
            ])
        case .assistant:
            var entries: [(key: String, value: JSONValue)] = [
                ("role", .string("assistant")), ("content", .string(message.content)),
            ]
            if !message.toolCalls.isEmpty {
                entries.append(
                    (
                        "tool_calls",
                        .array(
                            message.toolCalls.map { call in
                                .object([
                                    ("id", .string(call.id)), ("type", .string("function")),
                                    (
                                        "function",
                                        .object([("name", .string(call.name)), ("arguments", .string(call.arguments))])
                                    ),
                                ])
                            })
                    ))
            }
            return .object(entries)
        }
    }

    static func decodeCompletion(_ data: Data, attempt: Int) throws -> ModelResponse {
        guard let json = try? JSONValue(parsing: data), case .array(let choices)? = json["choices"] else {
            throw ProviderFailure(.malformed("not a chat completion: \(preview(data))"), attempt: attempt)
        }
        guard let choice = choices.first, let message = choice["message"] else {
            throw ProviderFailure(.malformed("the answer has no choices (choices: [])"), attempt: attempt)
        }
        var calls: [ToolCall] = []
        if case .array(let items)? = message["tool_calls"] {
            for (index, item) in items.enumerated() {
                guard let name = item["function"]?["name"]?.stringValue else {
                    throw ProviderFailure(.malformed("a tool call without a name"), attempt: attempt)
                }
                calls.append(
                    ToolCall(
                        id: item["id"]?.stringValue ?? "call_\(index + 1)", name: name,
                        arguments: argumentsText(item["function"]?["arguments"])))
            }
        }
        return ModelResponse(
            message: .assistant(message["content"]?.stringValue ?? "", toolCalls: calls),
            usage: reportedUsage(json["usage"]) ?? .unreported, finishReason: choice["finish_reason"]?.stringValue)
    }

    /// Assembles a streamed answer from its chunks.
    static func readStream(_ body: some AsyncSequence<Data, any Error>, attempt: Int) async throws -> ModelResponse {
        var parser = SSEParser()
        var content = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var finishReason: String?
        var tokens = TokenUsage.unreported
        var done = false
        var received = 0
        // A stream whose chunks never carry a choice (`choices: []` throughout) holds no answer.
        var sawChoice = false
        stream: for try await chunk in body {
            for event in parser.feed(chunk) {
                received += 1
                if event.data == "[DONE]" {
                    done = true
                    break stream
                }
                guard let json = try? JSONValue(parsing: Data(event.data.utf8)) else {
                    throw ProviderFailure(
                        .malformed("a stream chunk is not JSON: \(event.data.prefix(200))"), attempt: attempt)
                }
                if let error = json["error"], error != .null {
                    throw ProviderFailure(
                        .server(status: 500), attempt: attempt,
                        message: HTTPFailure.message(in: json).map(HTTPFailure.excerpt)
                            ?? "an error event in the stream")
                }
                if let reported = reportedUsage(json["usage"]) { tokens = reported }
                guard case .array(let choices)? = json["choices"], let choice = choices.first else { continue }
                sawChoice = true
                if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
                if let text = choice["delta"]?["content"]?.stringValue { content += text }
                if case .array(let deltas)? = choice["delta"]?["tool_calls"] {
                    for (position, delta) in deltas.enumerated() {
                        let index = delta["index"]?.intValue ?? position
                        var call = calls[index] ?? ("", "", "")
                        if let id = delta["id"]?.stringValue, !id.isEmpty { call.id = id }
                        if let name = delta["function"]?["name"]?.stringValue { call.name += name }
                        call.arguments += argumentsText(delta["function"]?["arguments"], empty: "")
                        calls[index] = call
                    }
                }
            }
        }
        if received == 0 {
            throw ProviderFailure(.malformed(ProviderFailure.emptyStream), attempt: attempt)
        }
        guard done || finishReason != nil else {
            throw ProviderFailure(.malformed("the stream ended before the answer was complete"), attempt: attempt)
        }
        guard sawChoice else {
            throw ProviderFailure(.malformed("the stream carried no choices (choices: [])"), attempt: attempt)
        }
        let toolCalls = calls.keys.sorted().map { index in
            let call = calls[index]!
            return ToolCall(
                id: call.id.isEmpty ? "call_\(index + 1)" : call.id, name: call.name,
                arguments: call.arguments.isEmpty ? "{}" : call.arguments)
        }
        if toolCalls.contains(where: { $0.name.isEmpty }) {
            throw ProviderFailure(.malformed("a streamed tool call without a name"), attempt: attempt)
        }
        return ModelResponse(
            message: .assistant(content, toolCalls: toolCalls), usage: tokens, finishReason: finishReason)
    }

    /// Arguments arrive as JSON text (OpenAI) or, from some local servers, as a JSON object.
    static func argumentsText(_ value: JSONValue?, empty: String = "{}") -> String {
        switch value {
        case .string(let text)?: return text
        case nil, .null?: return empty
        case let other?:
            return other.jsonText
        }
    }

    /// The usage the provider reported, or `nil` when it did not say what the request used
    /// (absent, `null`, or without both counts): an answer is billed only on usage that counts its
    /// prompt and its output, never on half of it.
    ///
    /// `prompt_tokens` includes `prompt_tokens_details.cached_tokens`.
    static func reportedUsage(_ value: JSONValue?) -> TokenUsage? {
        guard let input = value?["prompt_tokens"]?.intValue, let output = value?["completion_tokens"]?.intValue
        else { return nil }
        let cached = value?["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        return TokenUsage(input: max(0, input), output: max(0, output), cachedInput: min(max(0, cached), max(0, input)))
    }

    static func preview(_ data: Data) -> String {
        String(decoding: data.prefix(200), as: UTF8.self)
    }
}
