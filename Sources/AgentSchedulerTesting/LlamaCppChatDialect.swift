import FlyingFox
import Foundation

/// Chat Completions as llama.cpp's server answers them (llama-cpp-python 0.3.36, measured against a
/// real one serving SmolLM2-135M-Instruct):
///
/// - Tools without `tool_choice` are left out of the prompt: the model answers in text only, so a
///   scripted tool call arrives as text naming the tool, never as a call.
/// - An assistant message whose `content` is `null` is refused with 500 and pydantic's message
///   ("Input should be a valid string"); no step is consumed.
/// - A streamed request with tools and `tool_choice: "auto"` gets HTTP 200 with an empty body; no
///   step is consumed, so the same request sent again without streaming gets the step.
/// - Streams carry no usage, even with `stream_options.include_usage`; whole answers do.
/// - A server error while streaming arrives inside the stream, as `data: {"error": …}` after a 200.
///
/// Everything else (validation, answer shapes, error shapes) is OpenAI's.
struct LlamaCppChatDialect: ProviderDialect {
    private let openAI = OpenAIChatDialect()

    /// The 500 message llama-cpp-python sends for `content: null` in an assistant message.
    static func nullContentMessage(index: Int) -> String {
        "[{'type': 'string_type', 'loc': ('body', 'messages', \(index), 'content'), "
            + "'msg': 'Input should be a valid string', 'input': None}]"
    }

    func problem(in body: FakeJSON) -> String? {
        openAI.problem(in: body)
    }

    func quirk(in body: FakeJSON, call: ModelCall) -> HTTPResponse? {
        let messages = body["messages"]?.arrayValue ?? []
        if let index = messages.firstIndex(where: {
            $0["role"]?.stringValue == "assistant" && ($0["content"] ?? .null) == .null
        }) {
            let error: FakeJSON = [
                "error": [
                    "message": .string(Self.nullContentMessage(index: index)), "type": "internal_server_error",
                    "param": nil, "code": nil,
                ]
            ]
            return Wire.json(Wire.status(500), error, headers: commonHeaders(number: call.number))
        }
        if call.stream, Self.offersTools(body), body["tool_choice"]?.stringValue == "auto" {
            // "Automatic streaming tool choice is not supported": the server logs it and sends nothing.
            return Wire.eventStream([], headers: commonHeaders(number: call.number))
        }
        return nil
    }

    func shaped(_ reply: ScriptBook.Reply, for body: FakeJSON) -> ScriptBook.Reply {
        guard !reply.toolCalls.isEmpty, (body["tool_choice"] ?? .null) == .null else {
            return reply
        }
        // The tools never reached the prompt: the model can only write about them.
        let names = reply.toolCalls.map(\.call.name).joined(separator: ", ")
        return ScriptBook.Reply(text: reply.text ?? "I would use \(names) for this.", toolCalls: [])
    }

    func call(from body: FakeJSON, number: Int) -> ModelCall {
        var call = openAI.call(from: body, number: number)
        call.includeUsage = false
        return call
    }

    func streamEvents(_ reply: ScriptBook.Reply, to call: ModelCall) -> [String] {
        openAI.streamEvents(reply, to: call)
    }

    func completeBody(_ reply: ScriptBook.Reply, to call: ModelCall) -> FakeJSON {
        openAI.completeBody(reply, to: call)
    }

    func malformedEvents(_ call: ModelCall) -> [String] {
        openAI.malformedEvents(call)
    }

    func failure(_ failure: ProviderFailure, number: Int) -> HTTPResponse {
        openAI.failure(failure, number: number)
    }

    func serverError(_ status: Int, to call: ModelCall) -> HTTPResponse {
        guard call.stream else { return failure(.server(status: status), number: call.number) }
        let error: FakeJSON = [
            "error": [
                "code": .int(status), "message": "llama_decode returned -3: the KV cache is full",
                "type": "server_error",
            ]
        ]
        return Wire.eventStream(["data: \(error.encodedText)\n\n"], headers: commonHeaders(number: call.number))
    }

    func commonHeaders(number: Int) -> HTTPHeaders {
        [:]
    }

    private static func offersTools(_ body: FakeJSON) -> Bool {
        !(body["tools"]?.arrayValue ?? []).isEmpty
    }
}
