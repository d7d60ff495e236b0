import FlyingFox
import Foundation

/// One provider's wire protocol: how it validates requests and how it writes answers and errors.
protocol ProviderDialect: Sendable {
    /// The message of the 400 error the provider would answer `body` with, or `nil` when the body is acceptable.
    func problem(in body: FakeJSON) -> String?
    /// The facts of a valid request.
    func call(from body: FakeJSON, number: Int) -> ModelCall
    /// Every event of a streamed answer, each complete with its trailing blank line.
    func streamEvents(_ reply: ScriptBook.Reply, to call: ModelCall) -> [String]
    /// The body of an answer that is not streamed.
    func completeBody(_ reply: ScriptBook.Reply, to call: ModelCall) -> FakeJSON
    /// A stream whose first event's data is not JSON.
    func malformedEvents(_ call: ModelCall) -> [String]
    /// An error response.
    func failure(_ failure: ProviderFailure, number: Int) -> HTTPResponse
    /// Headers the provider puts on every answer, such as its request id.
    func commonHeaders(number: Int) -> HTTPHeaders
    /// An answer a server's quirk gives a valid request before any step is played (the step stays
    /// for the next request), or `nil` to play the step.
    func quirk(in body: FakeJSON, call: ModelCall) -> HTTPResponse?
    /// The reply as this server would deliver it for `body` (a server that ignores tools drops calls).
    func shaped(_ reply: ScriptBook.Reply, for body: FakeJSON) -> ScriptBook.Reply
    /// The answer to a `.serverError` step.
    func serverError(_ status: Int, to call: ModelCall) -> HTTPResponse
}

extension ProviderDialect {
    func quirk(in body: FakeJSON, call: ModelCall) -> HTTPResponse? { nil }

    func shaped(_ reply: ScriptBook.Reply, for body: FakeJSON) -> ScriptBook.Reply { reply }

    func serverError(_ status: Int, to call: ModelCall) -> HTTPResponse {
        failure(.server(status: status), number: call.number)
    }

    /// A successful answer, streamed or not as the client asked.
    func answer(_ reply: ScriptBook.Reply, to call: ModelCall) -> HTTPResponse {
        let headers = commonHeaders(number: call.number)
        if call.stream {
            return Wire.eventStream(streamEvents(reply, to: call), headers: headers)
        }
        return Wire.json(.ok, completeBody(reply, to: call), headers: headers)
    }

    /// A 200 whose body, or first streamed event, is not JSON.
    func malformed(_ call: ModelCall) -> HTTPResponse {
        var headers = commonHeaders(number: call.number)
        if call.stream {
            return Wire.eventStream(malformedEvents(call), headers: headers)
        }
        headers[.contentType] = "application/json"
        return HTTPResponse(statusCode: .ok, headers: headers, body: ClosingBody.complete(Wire.notJSON))
    }

    /// A 200 built from a text reply that stops part-way: when streamed, about half of its events (never the
    /// end-of-stream marker); otherwise half of its body. The server then closes the connection.
    func truncated(_ call: ModelCall) -> HTTPResponse {
        let reply = ScriptBook.Reply(text: "This answer is cut off before it ends.", toolCalls: [])
        var headers = commonHeaders(number: call.number)
        if call.stream {
            let events = streamEvents(reply, to: call)
            let kept = events.prefix(max(2, events.count / 2)).joined()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            // Announce twice the kept length, so that the client sees the body end early.
            return HTTPResponse(statusCode: .ok, headers: headers, body: ClosingBody.truncated(kept + kept))
        }
        headers[.contentType] = "application/json"
        return HTTPResponse(
            statusCode: .ok, headers: headers, body: ClosingBody.truncated(completeBody(reply, to: call).encodedText))
    }
}

extension ProviderDialect {
    /// A 200 event stream that never ends: an empty delta every `interval` (both dialects' clients
    /// skip such an event), until the client closes the connection.
    func drip(_ call: ModelCall, every interval: Duration) -> HTTPResponse {
        var headers = commonHeaders(number: call.number)
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        let event: FakeJSON = [
            "id": .string("chatcmpl-fake\(call.number)"), "object": "chat.completion.chunk",
            "choices": [["index": 0, "delta": [:], "finish_reason": nil]],
        ]
        return HTTPResponse(
            statusCode: .ok, headers: headers, body: DripBody.body("data: \(event.encodedText)\n\n", every: interval))
    }

    /// A 200 in the Chat Completions shape whose `choices` is empty, with usage: no answer at all.
    func emptyChoices(_ call: ModelCall) -> HTTPResponse {
        let body: FakeJSON = [
            "id": .string("chatcmpl-fake\(call.number)"),
            "object": .string(call.stream ? "chat.completion.chunk" : "chat.completion"),
            "created": .int(call.created), "model": .string(call.model), "choices": [],
            "usage": [
                "prompt_tokens": .int(call.promptTokens), "completion_tokens": 0,
                "total_tokens": .int(call.promptTokens),
            ],
        ]
        if call.stream {
            return Wire.eventStream(
                ["data: \(body.encodedText)\n\n", "data: [DONE]\n\n"], headers: commonHeaders(number: call.number))
        }
        return Wire.json(.ok, body, headers: commonHeaders(number: call.number))
    }

    /// `reply` with the finish reason of an answer cut at the output limit: `length` (OpenAI) or
    /// `max_tokens` (Anthropic).
    func cut(_ reply: ScriptBook.Reply, to call: ModelCall) -> HTTPResponse {
        func cutShort(_ text: String) -> String {
            text.replacingOccurrences(of: "\"finish_reason\":\"stop\"", with: "\"finish_reason\":\"length\"")
                .replacingOccurrences(of: "\"stop_reason\":\"end_turn\"", with: "\"stop_reason\":\"max_tokens\"")
        }
        var headers = commonHeaders(number: call.number)
        if call.stream {
            return Wire.eventStream(streamEvents(reply, to: call).map(cutShort), headers: headers)
        }
        headers[.contentType] = "application/json"
        return HTTPResponse(
            statusCode: .ok, headers: headers,
            body: Wire.completeBody(cutShort(completeBody(reply, to: call).encodedText)))
    }
}
