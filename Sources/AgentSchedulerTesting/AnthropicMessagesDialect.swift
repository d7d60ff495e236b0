import FlyingFox
import Foundation

/// The Anthropic Messages protocol: `POST …/v1/messages`.
///
/// Validates like the real service where clients commonly go wrong (`model`, `max_tokens` and `messages` are
/// required; roles are only `user` and `assistant`, the system prompt going in `system`; every `tool_use` block
/// must be answered by a `tool_result` in the next message, and every `tool_result` must answer one in the
/// message before), and answers with `message` objects or the `message_start` … `message_stop` event stream.
struct AnthropicMessagesDialect: ProviderDialect {
    func problem(in body: FakeJSON) -> String? {
        guard body.objectValue != nil else {
            return "There was an issue with your request body: it is not a JSON object."
        }
        guard body["model"]?.stringValue?.isEmpty == false else {
            return "model: Field required"
        }
        guard let maxTokens = body["max_tokens"]?.intValue else {
            return "max_tokens: Field required"
        }
        guard maxTokens >= 1 else {
            return "max_tokens: Input should be greater than or equal to 1"
        }
        guard let messages = body["messages"]?.arrayValue else {
            return "messages: Field required"
        }
        guard !messages.isEmpty else {
            return "messages: at least one message is required"
        }
        if let system = body["system"], system != .null, system.stringValue == nil, system.arrayValue == nil {
            return "system: Input should be a valid string or a list of text blocks"
        }
        if let problem = toolProblem(in: body["tools"]) {
            return problem
        }
        return messageProblem(in: messages)
    }

    private func toolProblem(in tools: FakeJSON?) -> String? {
        guard let tools, tools != .null else { return nil }
        guard let list = tools.arrayValue else { return "tools: Input should be a valid list" }
        for (index, tool) in list.enumerated() {
            guard tool["name"]?.stringValue != nil else { return "tools.\(index).name: Field required" }
            guard tool["input_schema"]?.objectValue != nil else {
                return "tools.\(index).custom.input_schema: Field required"
            }
        }
        return nil
    }

    private func messageProblem(in messages: [FakeJSON]) -> String? {
        var unanswered: [String] = []
        for (index, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue else { return "messages.\(index).role: Field required" }
            guard role == "user" || role == "assistant" else {
                return "messages.\(index).role: Unexpected role \"\(role)\". The Messages API accepts a top-level "
                    + "`system` parameter, not \"system\" as an input message role."
            }
            let blocks: [FakeJSON]
            if message["content"]?.stringValue != nil {
                blocks = []
            } else if let list = message["content"]?.arrayValue {
                blocks = list
            } else {
                return "messages.\(index).content: Field required"
            }
            var answered: Set<String> = []
            for (blockIndex, block) in blocks.enumerated() {
                let place = "messages.\(index).content.\(blockIndex)"
                guard let type = block["type"]?.stringValue else { return "\(place).type: Field required" }
                if type == "tool_result" {
                    guard let id = block["tool_use_id"]?.stringValue else {
                        return "\(place).tool_result.tool_use_id: Field required"
                    }
                    guard unanswered.contains(id) else {
                        return "\(place): unexpected `tool_use_id` found in `tool_result` blocks: \(id). Each "
                            + "`tool_result` block must have a corresponding `tool_use` block in the previous message."
                    }
                    answered.insert(id)
                }
            }
            let missing = unanswered.filter { !answered.contains($0) }
            if !missing.isEmpty {
                return Self.unansweredMessage(missing, at: index - 1)
            }
            unanswered = []
            if role == "assistant" {
                for (blockIndex, block) in blocks.enumerated() where block["type"]?.stringValue == "tool_use" {
                    let place = "messages.\(index).content.\(blockIndex).tool_use"
                    guard let id = block["id"]?.stringValue else { return "\(place).id: Field required" }
                    guard block["name"]?.stringValue != nil else { return "\(place).name: Field required" }
                    guard block["input"]?.objectValue != nil else { return "\(place).input: Field required" }
                    unanswered.append(id)
                }
            }
        }
        return unanswered.isEmpty ? nil : Self.unansweredMessage(unanswered, at: messages.count - 1)
    }

    private static func unansweredMessage(_ ids: [String], at index: Int) -> String {
        "messages.\(index): `tool_use` ids were found without `tool_result` blocks immediately after: "
            + ids.joined(separator: ", ")
            + ". Each `tool_use` block must have a corresponding `tool_result` block in the next message."
    }

    func call(from body: FakeJSON, number: Int) -> ModelCall {
        ModelCall(
            model: body["model"]?.stringValue ?? "",
            stream: body["stream"]?.boolValue ?? false,
            includeUsage: false,
            promptTokens: TokenEstimate.promptTokens(for: body),
            maxTokens: body["max_tokens"]?.intValue,
            number: number,
            created: Int(Date().timeIntervalSince1970))
    }

    func commonHeaders(number: Int) -> HTTPHeaders {
        [HTTPHeader("request-id"): "req_fake\(number)"]
    }

    private func stopReason(_ reply: ScriptBook.Reply) -> FakeJSON {
        reply.toolCalls.isEmpty ? "end_turn" : "tool_use"
    }

    private func input(_ toolCall: FakeToolCall) -> FakeJSON {
        FakeJSON(data: Data(toolCall.arguments.utf8)) ?? [:]
    }

    private func outputTokens(_ reply: ScriptBook.Reply, _ call: ModelCall) -> Int {
        TokenEstimate.completionTokens(text: reply.text, toolCalls: reply.toolCalls.map(\.call))
            .capped(at: call.maxTokens)
    }

    /// A Messages `usage` object with `output` output tokens; `nil` when the reply reports none.
    /// `input_tokens` excludes the cache reads and writes, as Anthropic counts.
    private func usage(_ reply: ScriptBook.Reply, _ call: ModelCall, output: Int) -> FakeJSON? {
        let (read, written): (Int, Int)
        switch reply.usage {
        case .omitted: return nil
        case .reported: (read, written) = (0, 0)
        case .cached(let cacheRead, let cacheWritten):
            read = min(cacheRead, call.promptTokens)
            written = min(cacheWritten, call.promptTokens - read)
        }
        return [
            "input_tokens": .int(call.promptTokens - read - written), "output_tokens": .int(output),
            "cache_creation_input_tokens": .int(written), "cache_read_input_tokens": .int(read),
        ]
    }

    func completeBody(_ reply: ScriptBook.Reply, to call: ModelCall) -> FakeJSON {
        var content: [FakeJSON] = []
        if let text = reply.text {
            content.append(["type": "text", "text": .string(text)])
        } else if reply.toolCalls.isEmpty {
            content.append(["type": "text", "text": ""])
        }
        for (id, toolCall) in reply.toolCalls {
            content.append([
                "type": "tool_use", "id": .string(id), "name": .string(toolCall.name), "input": input(toolCall),
            ])
        }
        var message: [String: FakeJSON] = [
            "id": .string("msg_fake\(call.number)"), "type": "message", "role": "assistant",
            "model": .string(call.model), "content": .array(content), "stop_reason": stopReason(reply),
            "stop_sequence": nil,
        ]
        message["usage"] = usage(reply, call, output: outputTokens(reply, call))
        return .object(message)
    }

    private func event(_ name: String, _ data: FakeJSON) -> String {
        "event: \(name)\ndata: \(data.encodedText)\n\n"
    }

    func streamEvents(_ reply: ScriptBook.Reply, to call: ModelCall) -> [String] {
        var started: [String: FakeJSON] = [
            "id": .string("msg_fake\(call.number)"), "type": "message", "role": "assistant",
            "model": .string(call.model), "content": [], "stop_reason": nil, "stop_sequence": nil,
        ]
        started["usage"] = usage(reply, call, output: 1)
        var events = [
            event(
                "message_start",
                [
                    "type": "message_start",
                    "message": .object(started),
                ])
        ]
        var index = 0
        if reply.text != nil || reply.toolCalls.isEmpty {
            events.append(
                event(
                    "content_block_start",
                    ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]))
            events.append(event("ping", ["type": "ping"]))
            for piece in Wire.pieces(reply.text ?? "") {
                events.append(
                    event(
                        "content_block_delta",
                        [
                            "type": "content_block_delta", "index": 0,
                            "delta": ["type": "text_delta", "text": .string(piece)],
                        ]))
            }
            events.append(event("content_block_stop", ["type": "content_block_stop", "index": 0]))
            index = 1
        }
        for (id, toolCall) in reply.toolCalls {
            events.append(
                event(
                    "content_block_start",
                    [
                        "type": "content_block_start", "index": .int(index),
                        "content_block": [
                            "type": "tool_use", "id": .string(id), "name": .string(toolCall.name), "input": [:],
                        ],
                    ]))
            for piece in [""] + Wire.pieces(toolCall.arguments) {
                events.append(
                    event(
                        "content_block_delta",
                        [
                            "type": "content_block_delta", "index": .int(index),
                            "delta": ["type": "input_json_delta", "partial_json": .string(piece)],
                        ]))
            }
            events.append(event("content_block_stop", ["type": "content_block_stop", "index": .int(index)]))
            index += 1
        }
        var delta: [String: FakeJSON] = [
            "type": "message_delta", "delta": ["stop_reason": stopReason(reply), "stop_sequence": nil],
        ]
        if reply.usage != .omitted { delta["usage"] = ["output_tokens": .int(outputTokens(reply, call))] }
        events.append(event("message_delta", .object(delta)))
        events.append(event("message_stop", ["type": "message_stop"]))
        return events
    }

    func malformedEvents(_ call: ModelCall) -> [String] {
        ["event: message_start\ndata: \(Wire.notJSON)\n\n", event("message_stop", ["type": "message_stop"])]
    }

    func failure(_ failure: ProviderFailure, number: Int) -> HTTPResponse {
        var headers = commonHeaders(number: number)
        let status: Int
        let type: String
        let message: String
        switch failure {
        case .invalidRequest(let text):
            (status, type, message) = (400, "invalid_request_error", text)
        case .unauthorized:
            (status, type, message) = (401, "authentication_error", "invalid x-api-key")
        case .rateLimited(let retryAfter):
            (status, type, message) = (
                429, "rate_limit_error",
                "This request would exceed the rate limit for your organization. Please "
                    + "reduce the prompt length or the maximum tokens requested, or try again later."
            )
            headers[HTTPHeader("anthropic-ratelimit-requests-remaining")] = "0"
            for (name, value) in Wire.retryHeaders(retryAfter) {
                headers[name] = value
            }
        case .server(let code):
            status = code
            (type, message) =
                code == 503 || code == 529 ? ("overloaded_error", "Overloaded") : ("api_error", "Internal server error")
        case .notFound:
            (status, type, message) = (404, "not_found_error", "Not found")
        }
        let body: FakeJSON = [
            "type": "error", "error": ["type": .string(type), "message": .string(message)],
            "request_id": .string("req_fake\(number)"),
        ]
        return Wire.json(Wire.status(status), body, headers: headers)
    }
}
