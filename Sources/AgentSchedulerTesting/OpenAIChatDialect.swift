import FlyingFox
import Foundation

/// The OpenAI Chat Completions protocol: `POST …/chat/completions`.
///
/// Validates like the real service where clients commonly go wrong (a model and messages are required; every
/// assistant `tool_calls` entry must be answered by a following `tool` message with its `tool_call_id`, and
/// every `tool` message must answer one), and answers with `chat.completion` objects or `chat.completion.chunk`
/// events ending in `data: [DONE]`.
struct OpenAIChatDialect: ProviderDialect {
    private static let roles: Set = ["system", "developer", "user", "assistant", "tool"]

    func problem(in body: FakeJSON) -> String? {
        guard body.objectValue != nil else {
            return "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload."
        }
        guard let model = body["model"]?.stringValue, !model.isEmpty else {
            return "you must provide a model parameter"
        }
        guard let messages = body["messages"]?.arrayValue else {
            return "Missing required parameter: 'messages'."
        }
        guard !messages.isEmpty else {
            return "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array "
                + "instead."
        }
        if let stream = body["stream"], stream != .null, stream.boolValue == nil {
            return "Invalid type for 'stream': expected a boolean, but got \(stream.encodedText) instead."
        }
        if let problem = toolProblem(in: body["tools"]) {
            return problem
        }
        return messageProblem(in: messages)
    }

    private func messageProblem(in messages: [FakeJSON]) -> String? {
        var unanswered: [String] = []
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue else {
                return "Missing required parameter: 'messages[\(index)].role'."
            }
            guard Self.roles.contains(role) else {
                return "Invalid value: '\(role)'. Supported values are: 'system', 'assistant', 'user', 'tool', "
                    + "'function', and 'developer'."
            }
            if role == "tool" {
                guard let id = message["tool_call_id"]?.stringValue else {
                    return "Missing required parameter: 'messages[\(index)].tool_call_id'."
                }
                guard let position = unanswered.firstIndex(of: id) else {
                    return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                        + "with 'tool_calls'."
                }
                unanswered.remove(at: position)
                continue
            }
            if !unanswered.isEmpty {
                return Self.unansweredMessage(unanswered)
            }
            if role == "assistant", let calls = message["tool_calls"]?.arrayValue {
                for (callIndex, call) in calls.enumerated() {
                    let prefix = "messages[\(index)].tool_calls[\(callIndex)]"
                    guard let id = call["id"]?.stringValue else {
                        return "Missing required parameter: '\(prefix).id'."
                    }
                    guard call["function"]?["name"]?.stringValue != nil,
                        call["function"]?["arguments"]?.stringValue != nil
                    else {
                        return "Missing required parameter: '\(prefix).function'."
                    }
                    unanswered.append(id)
                }
            }
        }
        return unanswered.isEmpty ? nil : Self.unansweredMessage(unanswered)
    }

    private static func unansweredMessage(_ ids: [String]) -> String {
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
            + "'tool_call_id'. The following tool_call_ids did not have response messages: "
            + ids.joined(separator: ", ")
    }

    private func toolProblem(in tools: FakeJSON?) -> String? {
        guard let tools, tools != .null else { return nil }
        guard let list = tools.arrayValue else {
            return "Invalid type for 'tools': expected an array, but got \(tools.encodedText) instead."
        }
        for (index, tool) in list.enumerated() where tool["function"]?["name"]?.stringValue == nil {
            return "Missing required parameter: 'tools[\(index)].function.name'."
        }
        return nil
    }

    func call(from body: FakeJSON, number: Int) -> ModelCall {
        ModelCall(
            model: body["model"]?.stringValue ?? "",
            stream: body["stream"]?.boolValue ?? false,
            includeUsage: body["stream_options"]?["include_usage"]?.boolValue ?? false,
            promptTokens: TokenEstimate.promptTokens(for: body),
            maxTokens: body["max_completion_tokens"]?.intValue ?? body["max_tokens"]?.intValue,
            number: number,
            created: Int(Date().timeIntervalSince1970))
    }

    func commonHeaders(number: Int) -> HTTPHeaders {
        [HTTPHeader("x-request-id"): "req_fake\(number)", HTTPHeader("openai-processing-ms"): "1"]
    }

    /// The answer's `usage`; `nil` when the reply reports none.
    private func usage(_ reply: ScriptBook.Reply, _ call: ModelCall) -> FakeJSON? {
        let completion = TokenEstimate.completionTokens(text: reply.text, toolCalls: reply.toolCalls.map(\.call))
            .capped(at: call.maxTokens)
        var usage: [String: FakeJSON] = [
            "prompt_tokens": .int(call.promptTokens), "completion_tokens": .int(completion),
            "total_tokens": .int(call.promptTokens + completion),
        ]
        switch reply.usage {
        case .omitted: return nil
        case .reported: break
        case .cached(let read, _):
            usage["prompt_tokens_details"] = ["cached_tokens": .int(min(read, call.promptTokens)), "audio_tokens": 0]
        }
        return .object(usage)
    }

    private func finishReason(_ reply: ScriptBook.Reply) -> FakeJSON {
        reply.toolCalls.isEmpty ? "stop" : "tool_calls"
    }

    func completeBody(_ reply: ScriptBook.Reply, to call: ModelCall) -> FakeJSON {
        var message: [String: FakeJSON] = [
            "role": "assistant", "refusal": nil,
            "content": reply.toolCalls.isEmpty ? .string(reply.text ?? "") : .optional(reply.text),
        ]
        if !reply.toolCalls.isEmpty {
            message["tool_calls"] = .array(
                reply.toolCalls.map { id, toolCall in
                    [
                        "id": .string(id), "type": "function",
                        "function": ["name": .string(toolCall.name), "arguments": .string(toolCall.arguments)],
                    ]
                })
        }
        var body: [String: FakeJSON] = [
            "id": .string("chatcmpl-fake\(call.number)"), "object": "chat.completion", "created": .int(call.created),
            "model": .string(call.model), "system_fingerprint": "fp_fake",
            "choices": [
                ["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": finishReason(reply)]
            ],
        ]
        body["usage"] = usage(reply, call)
        return .object(body)
    }

    func streamEvents(_ reply: ScriptBook.Reply, to call: ModelCall) -> [String] {
        func chunk(_ delta: FakeJSON, finish: FakeJSON = nil) -> String {
            var object: [String: FakeJSON] = [
                "id": .string("chatcmpl-fake\(call.number)"), "object": "chat.completion.chunk",
                "created": .int(call.created), "model": .string(call.model), "system_fingerprint": "fp_fake",
                "choices": [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]],
            ]
            if call.includeUsage, reply.usage != .omitted {
                object["usage"] = .null
            }
            return "data: \(FakeJSON.object(object).encodedText)\n\n"
        }
        let text = reply.text ?? ""
        var events = [
            chunk([
                "role": "assistant", "content": reply.text == nil && !reply.toolCalls.isEmpty ? nil : "",
                "refusal": nil,
            ])
        ]
        events += Wire.pieces(text).map { chunk(["content": .string($0)]) }
        for (index, (id, toolCall)) in reply.toolCalls.enumerated() {
            events.append(
                chunk([
                    "tool_calls": [
                        [
                            "index": .int(index), "id": .string(id), "type": "function",
                            "function": ["name": .string(toolCall.name), "arguments": ""],
                        ]
                    ]
                ]))
            events += Wire.pieces(toolCall.arguments).map {
                chunk(["tool_calls": [["index": .int(index), "function": ["arguments": .string($0)]]]])
            }
        }
        events.append(chunk([:], finish: finishReason(reply)))
        if call.includeUsage, let usage = usage(reply, call) {
            let final: FakeJSON = [
                "id": .string("chatcmpl-fake\(call.number)"), "object": "chat.completion.chunk",
                "created": .int(call.created), "model": .string(call.model), "system_fingerprint": "fp_fake",
                "choices": [], "usage": usage,
            ]
            events.append("data: \(final.encodedText)\n\n")
        }
        events.append("data: [DONE]\n\n")
        return events
    }

    func malformedEvents(_ call: ModelCall) -> [String] {
        ["data: \(Wire.notJSON)\n\n", "data: [DONE]\n\n"]
    }

    func failure(_ failure: ProviderFailure, number: Int) -> HTTPResponse {
        var headers = commonHeaders(number: number)
        let status: Int
        let message: String
        var type: FakeJSON = "invalid_request_error"
        var code: FakeJSON = nil
        switch failure {
        case .invalidRequest(let text):
            (status, message) = (400, text)
        case .unauthorized:
            (status, message, code) = (
                401,
                "Incorrect API key provided. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_api_key"
            )
        case .rateLimited(let retryAfter):
            (status, message, type, code) = (
                429, "Rate limit reached for requests. Please try again later.",
                "requests", "rate_limit_exceeded"
            )
            headers[HTTPHeader("x-ratelimit-remaining-requests")] = "0"
            for (name, value) in Wire.retryHeaders(retryAfter) {
                headers[name] = value
            }
            if let retryAfter {
                headers[HTTPHeader("x-ratelimit-reset-requests")] = Self.resetText(retryAfter)
            }
        case .server(let code):
            status = code
            type = "server_error"
            message =
                code == 503
                ? "The server is overloaded or not ready yet."
                : "The server had an error while processing your request. Sorry about that!"
        case .notFound(let method, let path):
            (status, message) = (404, "Invalid URL (\(method) \(path))")
        }
        let body: FakeJSON = ["error": ["message": .string(message), "type": type, "param": nil, "code": code]]
        return Wire.json(Wire.status(status), body, headers: headers)
    }

    /// OpenAI's reset notation: `250ms`, `1.5s`, `6m0s`.
    static func resetText(_ duration: Duration) -> String {
        let milliseconds = max(0, Int((duration / .milliseconds(1)).rounded(.up)))
        if milliseconds < 1000 {
            return "\(milliseconds)ms"
        }
        let seconds = Double(milliseconds) / 1000
        if seconds < 60 {
            return String(format: "%gs", seconds)
        }
        return "\(Int(seconds) / 60)m" + String(format: "%gs", seconds.truncatingRemainder(dividingBy: 60))
    }
}
