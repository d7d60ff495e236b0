import AgentSchedulerCore
import AsyncHTTPClient
import Foundation

/// Anthropic's Messages API with `tool_use` and `tool_result` blocks, streamed or not.
///
/// The neutral conversation maps onto it like this: system messages become `system`; tool
/// results (and any steering message after them) become one `user` turn of blocks, since the API
/// wants user and assistant turns to alternate; tool arguments travel as JSON objects (`input`).
public struct AnthropicClient: ModelClient {
    public static let apiVersion = "2023-06-01"

    public var baseURL: URL
    public var apiKey: String?
    public var apiKeyVariable: String?
    public var http: HTTPStreamClient

    public init(baseURL: URL, apiKey: String?, apiKeyVariable: String?, http: HTTPStreamClient) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.http = http
    }

    /// Sends one request; an answer without usage (some Messages-compatible servers) gets estimated
    /// usage, marked `estimated`.
    public func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        let response = try await http.exchange(
            makeRequest(request), stream: request.stream, apiKeyVariable: apiKeyVariable, attempt: attempt,
            readStream: { try await Self.readStream($0, attempt: attempt) },
            decode: { try Self.decodeMessage($0, attempt: attempt) })
        return TokenEstimator.filling(response, for: request)
    }

    func makeRequest(_ request: ModelRequest) -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: baseURL.appendingPathComponent("v1/messages").absoluteString)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "anthropic-version", value: Self.apiVersion)
        if let apiKey, !apiKey.isEmpty { httpRequest.headers.add(name: "x-api-key", value: apiKey) }
        httpRequest.body = .bytes(Self.body(for: request).jsonData)
        return httpRequest
    }

    /// The Messages request body.
    static func body(for request: ModelRequest) -> JSONValue {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var turns: [(role: String, blocks: [JSONValue])] = []
        func append(_ role: String, _ block: JSONValue) {
            if turns.last?.role == role {
                turns[turns.count - 1].blocks.append(block)
            } else {
                turns.append((role, [block]))
            }
        }
        for message in request.messages {
            switch message.role {
            case .system: continue
            case .user: append("user", .object([("type", .string("text")), ("text", .string(message.content))]))
            case .tool:
                append(
                    "user",
                    .object([
                        ("type", .string("tool_result")), ("tool_use_id", .string(message.toolCallID ?? "")),
                        ("content", .string(message.content)),
                    ]))
            case .assistant:
                if !message.content.isEmpty {
                    append("assistant", .object([("type", .string("text")), ("text", .string(message.content))]))
                }
                for call in message.toolCalls {
                    let input =
                        (try? JSONValue(parsing: Data(call.arguments.utf8))) ?? .object([])
                    append(
                        "assistant",
                        .object([
                            ("type", .string("tool_use")), ("id", .string(call.id)), ("name", .string(call.name)),
                            ("input", input),
                        ]))
                }
            }
        }
        var entries: [(key: String, value: JSONValue)] = [
            ("model", .string(request.model)), ("max_tokens", .number(String(request.maxTokens))),
        ]
        if !system.isEmpty { entries.append(("system", .string(system))) }
        entries.append(
            ("messages", .array(turns.map { .object([("role", .string($0.role)), ("content", .array($0.blocks))]) })))
        if !request.tools.isEmpty {
            entries.append(
                (
                    "tools",
                    .array(
                        request.tools.map {
                            .object([
                                ("name", .string($0.name)), ("description", .string($0.description)),
                                ("input_schema", $0.parameters),
                            ])
                        })
                ))
        }
        entries.append(("stream", .bool(request.stream)))
        return .object(entries)
    }

    static func decodeMessage(_ data: Data, attempt: Int) throws -> ModelResponse {
        guard let json = try? JSONValue(parsing: data),
            case .array(let blocks)? = json["content"]
        else {
            throw ProviderFailure(
                .malformed("not a message: \(String(decoding: data.prefix(200), as: UTF8.self))"), attempt: attempt)
        }
        var text = ""
        var calls: [ToolCall] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "tool_use":
                calls.append(
                    ToolCall(
                        id: block["id"]?.stringValue ?? "toolu_\(calls.count + 1)",
                        name: block["name"]?.stringValue ?? "",
                        arguments: OpenAIClient.argumentsText(block["input"])))
            default: continue
            }
        }
        return ModelResponse(
            message: .assistant(text, toolCalls: calls),
            usage: reportedUsage(json["usage"]) ?? .unreported,
            finishReason: json["stop_reason"]?.stringValue)
    }

    /// Assembles a streamed message from its events.
    static func readStream(_ body: some AsyncSequence<Data, any Error>, attempt: Int) async throws -> ModelResponse {
        var parser = SSEParser()
        var blocks: [Int: (type: String, text: String, id: String, name: String, json: String)] = [:]
        var tokens = TokenUsage.unreported
        var start: TokenUsage?
        var stopReason: String?
        var stopped = false
        stream: for try await chunk in body {
            for event in parser.feed(chunk) {
                guard let json = try? JSONValue(parsing: Data(event.data.utf8)) else {
                    throw ProviderFailure(
                        .malformed("a stream event is not JSON: \(event.data.prefix(200))"), attempt: attempt)
                }
                switch json["type"]?.stringValue ?? event.event {
                case "message_start":
                    // The prompt's counts; the output is only a placeholder until message_delta.
                    start = reportedUsage(json["message"]?["usage"])
                case "content_block_start":
                    let index = json["index"]?.intValue ?? blocks.count
                    let block = json["content_block"]
                    blocks[index] = (
                        block?["type"]?.stringValue ?? "text", block?["text"]?.stringValue ?? "",
                        block?["id"]?.stringValue ?? "", block?["name"]?.stringValue ?? "", ""
                    )
                case "content_block_delta":
                    let index = json["index"]?.intValue ?? 0
                    var block = blocks[index] ?? ("text", "", "", "", "")
                    block.text += json["delta"]?["text"]?.stringValue ?? ""
                    block.json += json["delta"]?["partial_json"]?.stringValue ?? ""
                    blocks[index] = block
                case "message_delta":
                    stopReason = json["delta"]?["stop_reason"]?.stringValue ?? stopReason
                    if let reported = reportedUsage(json["usage"], after: start) { tokens = reported }
                case "message_stop":
                    stopped = true
                    break stream
                case "error":
                    throw ProviderFailure(
                        .server(status: 529), attempt: attempt,
                        message: HTTPFailure.message(in: json).map(HTTPFailure.excerpt)
                            ?? "an error event in the stream")
                default:
                    continue
                }
            }
        }
        guard stopped else {
            throw ProviderFailure(.malformed("the stream ended before message_stop"), attempt: attempt)
        }
        var text = ""
        var calls: [ToolCall] = []
        for index in blocks.keys.sorted() {
            let block = blocks[index]!
            if block.type == "tool_use" {
                calls.append(
                    ToolCall(id: block.id, name: block.name, arguments: block.json.isEmpty ? "{}" : block.json))
            } else {
                text += block.text
            }
        }
        return ModelResponse(message: .assistant(text, toolCalls: calls), usage: tokens, finishReason: stopReason)
    }

    /// The usage in a Messages `usage` object, or `nil` when it does not say what the request
    /// used: an answer is billed only on usage that counts both its prompt and its output.
    ///
    /// `input_tokens` excludes `cache_read_input_tokens` and `cache_creation_input_tokens`; all
    /// three are prompt tokens, so `TokenUsage.input` is their sum. A stream's `message_start`
    /// carries the prompt's counts and a placeholder output; its `message_delta` carries the final
    /// output count and sometimes the prompt's again: pass the start's usage as `earlier`, and
    /// fields the delta lacks keep its values. A delta without `output_tokens` reports nothing.
    static func reportedUsage(_ value: JSONValue?, after earlier: TokenUsage? = nil) -> TokenUsage? {
        let uncached = value?["input_tokens"]?.intValue
        let read = value?["cache_read_input_tokens"]?.intValue
        let written = value?["cache_creation_input_tokens"]?.intValue
        let base = earlier.flatMap { $0.estimated ? nil : $0 }
        guard let output = value?["output_tokens"]?.intValue,
            let uncachedInput = uncached ?? base.map({ $0.input - $0.cachedInput - $0.cacheWrite })
        else { return nil }
        let cachedInput = max(0, read ?? base?.cachedInput ?? 0)
        let cacheWrite = max(0, written ?? base?.cacheWrite ?? 0)
        return TokenUsage(
            input: max(0, uncachedInput) + cachedInput + cacheWrite, output: max(0, output), cachedInput: cachedInput,
            cacheWrite: cacheWrite)
    }
}
