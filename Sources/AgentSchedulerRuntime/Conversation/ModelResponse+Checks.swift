extension ModelResponse {
    /// The provider's finish reason when the answer stopped at the output limit (OpenAI's
    /// `length`, Anthropic's `max_tokens`), else `nil`: such an answer is incomplete.
    public var cutReason: String? {
        switch finishReason {
        case "length"?, "max_tokens"?: finishReason
        default: nil
        }
    }

    /// The first tool-call id that two calls of this answer share, else `nil`: such an answer
    /// cannot be answered call by call, so it is malformed.
    public var duplicateToolCallID: String? {
        var seen: Set<String> = []
        for call in message.toolCalls where !seen.insert(call.id).inserted {
            return call.id
        }
        return nil
    }
}
