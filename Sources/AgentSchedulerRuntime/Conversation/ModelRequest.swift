/// One request to a model: the conversation so far and the tools it may call.
public struct ModelRequest: Sendable, Hashable {
    /// The name the provider knows the model by (the catalog's `id`, else its name).
    public var model: String
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    /// Stream the answer (SSE) or wait for it whole.
    public var stream: Bool
    public var maxTokens: Int
    /// Which session asks: replay transcripts are chosen by agent and issue.
    public var agent: String?
    public var issue: Int?

    public init(
        model: String, messages: [ChatMessage], tools: [ToolDefinition] = [], stream: Bool = true,
        maxTokens: Int = 4096, agent: String? = nil, issue: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.stream = stream
        self.maxTokens = maxTokens
        self.agent = agent
        self.issue = issue
    }
}

/// The model's answer: an assistant message (text and/or tool calls) and the tokens it cost.
public struct ModelResponse: Sendable, Hashable {
    public var message: ChatMessage
    public var usage: TokenUsage
    /// `stop`, `tool_calls`, `end_turn`, `length`, … as the provider said.
    public var finishReason: String?

    public init(message: ChatMessage, usage: TokenUsage, finishReason: String?) {
        self.message = message
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// Tokens a request used, as the provider reported them.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var input: Int
    public var output: Int

    public init(input: Int = 0, output: Int = 0) {
        self.input = input
        self.output = output
    }

    public var total: Int { input + output }
}
