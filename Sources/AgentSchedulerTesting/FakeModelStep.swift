import Foundation

/// One step of a fake model's script: what the server does with one request.
///
/// A step is either a reply (text, tool calls, or both) or a fault. Faults answer the way the real provider does,
/// in the provider's own error shape, so that clients exercise their real error handling.
public enum FakeModelStep: Sendable, Hashable {
    /// A successful answer with optional text and any number of tool calls. With tool calls the finish reason is
    /// `tool_calls` (OpenAI) or `tool_use` (Anthropic); otherwise `stop` or `end_turn`. `usage` says
    /// what usage the answer reports; the output count never passes the request's `max_tokens`.
    case reply(text: String?, toolCalls: [FakeToolCall], usage: FakeUsage = .reported)
    /// 429 with the provider's rate-limit error. When `retryAfter` is given, sends `retry-after` (whole seconds,
    /// rounded up) and `retry-after-ms`, and for OpenAI `x-ratelimit-reset-requests` (for example `1.5s`).
    case rateLimited(retryAfter: Duration?)
    /// The given 5xx status (typically 500 or 503) with the provider's server error body.
    case serverError(Int)
    /// 400 with the provider's invalid-request error carrying `message`.
    case badRequest(String)
    /// 401 with the provider's authentication error.
    case unauthorized
    /// Accepts the request and never answers; the client must give up by itself. The request is released
    /// (without an answer the client can use) when the server stops. Other requests are unaffected.
    case hang
    /// 200 whose body is not JSON (when streamed: an event stream whose first event's data is not JSON).
    case malformedJSON
    /// 200 whose body stops part-way and the connection closes: an event stream without `[DONE]` or
    /// `message_stop`, or (not streamed) half a JSON body.
    case truncatedStream
    /// Closes the connection without sending any response.
    case dropConnection
    /// Quotes the request's `Authorization` header back, as a misconfigured proxy or server does, in the
    /// place `echo` names: an error status's body (and a 3xx's `location`), an error event inside a stream,
    /// or a stream chunk that is not JSON. Tests use it to show the key never leaves the client.
    case echoAuthorization(AuthorizationEcho)
    /// 200 and an event stream that never ends: a chunk with an empty delta every `interval`, so the
    /// connection is never idle and the answer never completes.
    case drip(interval: Duration)
    /// 200 with `choices: []` and usage (when streamed: chunks without choices, then `[DONE]`).
    case emptyChoices
    /// A text answer whose finish reason is `length`: cut at the output limit.
    case cut(text: String)

    /// A plain text answer.
    public static func text(_ text: String) -> FakeModelStep {
        .reply(text: text, toolCalls: [])
    }

    /// An answer that calls tools: each pair is the tool's name and its arguments as JSON object text.
    public static func toolCalls(_ calls: [(name: String, arguments: String)]) -> FakeModelStep {
        .reply(text: nil, toolCalls: calls.map { FakeToolCall(name: $0.name, arguments: $0.arguments) })
    }

    /// An answer with text followed by tool calls.
    public static func textAndToolCalls(_ text: String, _ calls: [(name: String, arguments: String)]) -> FakeModelStep {
        .reply(text: text, toolCalls: calls.map { FakeToolCall(name: $0.name, arguments: $0.arguments) })
    }

    /// What the server answers once a script has no steps left: the text `done`.
    public static let afterScript = FakeModelStep.text("done")
}
