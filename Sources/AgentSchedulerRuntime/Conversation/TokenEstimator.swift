/// Estimates the tokens of a request and its answer when the provider reports no usage.
///
/// About four characters make a token for English text and code in the tokenizers of GPT, Llama and
/// SmolLM, so a count is the characters divided by four, rounded up. The prompt counts every
/// message's text, tool calls and tool results and the tools' names, descriptions and schemas (the
/// server renders them into the prompt too); the answer counts its text and its tool calls' names
/// and arguments. Good enough for `tpm` and for reading the event log; real counts win wherever the
/// provider sends them.
public enum TokenEstimator {
    /// The tokens of `characters` characters: at least 1 for any text, 0 for none.
    public static func tokens(forCharacters characters: Int) -> Int {
        characters <= 0 ? 0 : (characters + 3) / 4
    }

    /// The estimated prompt tokens of `request`.
    public static func promptTokens(for request: ModelRequest) -> Int {
        let messages = request.messages.reduce(0) { $0 + characters(of: $1) + $1.role.rawValue.count }
        let tools = request.tools.reduce(0) { total, tool in
            total + tool.name.count + tool.description.count + tool.parameters.jsonText.count
        }
        return tokens(forCharacters: messages + tools)
    }

    /// The estimated completion tokens of an answer.
    public static func completionTokens(for message: ChatMessage) -> Int {
        max(1, tokens(forCharacters: characters(of: message)))
    }

    /// `response` with its usage estimated when the provider sent none (`usage.estimated`), else as it is.
    public static func filling(_ response: ModelResponse, for request: ModelRequest) -> ModelResponse {
        guard response.usage.estimated else { return response }
        var filled = response
        filled.usage = TokenUsage(
            input: max(response.usage.input, promptTokens(for: request)),
            output: max(response.usage.output, completionTokens(for: response.message)), estimated: true)
        return filled
    }

    private static func characters(of message: ChatMessage) -> Int {
        message.content.count + message.toolCalls.reduce(0) { $0 + $1.name.count + $1.arguments.count }
    }
}
