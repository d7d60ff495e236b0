extension ModelRequest {
    /// An upper bound of the prompt tokens this request can be billed for (DESIGN §9).
    ///
    /// A byte-level BPE token covers at least one byte, so no text the model reads has more tokens
    /// than UTF-8 bytes: the bound counts every byte of the request's text (messages, tool calls,
    /// tool definitions with their schemas), plus `framingPerMessage` tokens for what the chat
    /// template wraps around each message and each tool, and once more for the request itself
    /// (the template's preamble). The allowance is catalog data (`framing-tokens`).
    public func promptTokenBound(framingPerMessage: Int) -> Int {
        var bytes = 0
        for message in messages {
            bytes += message.role.rawValue.utf8.count + message.content.utf8.count + framingPerMessage
            bytes += message.toolCallID?.utf8.count ?? 0
            for call in message.toolCalls {
                bytes += call.id.utf8.count + call.name.utf8.count + call.arguments.utf8.count
            }
        }
        for tool in tools {
            bytes += tool.name.utf8.count + tool.description.utf8.count + tool.parameters.jsonText.utf8.count
            bytes += framingPerMessage
        }
        return bytes + framingPerMessage
    }
}
