/// One request to a model: the conversation so far and the tools it may call.
public struct ModelRequest: Sendable, Hashable {
    /// The name the provider knows the model by (the catalog's `id`, else its name).
    public var model: String
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    /// Stream the answer (SSE) or wait for it whole.
    public var stream: Bool
    /// The answer's cap, sent as `max_tokens`: the catalog's `max-output-tokens` or its default.
    public var maxTokens: Int
    /// Which session asks: replay transcripts are chosen by agent and issue, and whether the
    /// session is a follow-up.
    public var agent: String?
    public var issue: Int?
    public var isFollowUp: Bool

    public init(
        model: String, messages: [ChatMessage], tools: [ToolDefinition] = [], stream: Bool = true,
        maxTokens: Int = 4096, agent: String? = nil, issue: Int? = nil, isFollowUp: Bool = false
    ) {
        self.isFollowUp = isFollowUp
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
    /// The streamed try was unusable and this answer came whole (`ResilientModelClient`).
    public var fellBackFromStreaming: Bool

    public init(message: ChatMessage, usage: TokenUsage, finishReason: String?, fellBackFromStreaming: Bool = false) {
        self.message = message
        self.usage = usage
        self.finishReason = finishReason
        self.fellBackFromStreaming = fellBackFromStreaming
    }
}

/// Tokens a request used, as the provider reported them, or estimated when it reported none.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var input: Int
    public var output: Int
    /// The provider sent no usage (llama.cpp streams, some proxies): the counts are
    /// `TokenEstimator`'s, from the characters sent and received.
    public var estimated: Bool

    public init(input: Int = 0, output: Int = 0, estimated: Bool = false) {
        self.input = input
        self.output = output
        self.estimated = estimated
    }

    /// What a parser records when the answer carried no usage: zero, to be estimated by the client.
    public static let unreported = TokenUsage(estimated: true)

    public var total: Int { input + output }

    enum CodingKeys: String, CodingKey {
        case input, output, estimated
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            input: try container.decode(Int.self, forKey: .input),
            output: try container.decode(Int.self, forKey: .output),
            estimated: try container.decodeIfPresent(Bool.self, forKey: .estimated) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        if estimated { try container.encode(estimated, forKey: .estimated) }
    }
}
