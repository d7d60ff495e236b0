/// What shapes one answer: facts from the request and numbers the server assigned.
struct ModelCall: Sendable {
    /// The model the client asked for, echoed back.
    var model: String
    /// Whether the client asked for a server-sent event stream.
    var stream: Bool
    /// Whether an OpenAI client asked for a final usage chunk (`stream_options.include_usage`).
    var includeUsage: Bool
    /// The estimated prompt size (see `TokenEstimate`).
    var promptTokens: Int
    /// The request's `max_tokens` (or `max_completion_tokens`): no answer reports more output.
    var maxTokens: Int?
    /// A number unique within the server, for response and request ids.
    var number: Int
    /// The answer's creation time in seconds since 1970.
    var created: Int
}
