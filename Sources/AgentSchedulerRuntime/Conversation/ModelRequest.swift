import AgentSchedulerCore

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

/// The tokens one request used, as the provider reported them (or as estimated when it did not).
///
/// `input` is every prompt token however it was billed; `cachedInput` and `cacheWrite` are the
/// parts of it read from and written to the provider's prompt cache. OpenAI's `prompt_tokens`
/// already includes its cached tokens; Anthropic's `input_tokens` excludes both cache fields, so
/// its parser adds them in.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var input: Int
    public var output: Int
    /// Of `input`, the tokens read from the prompt cache.
    public var cachedInput: Int
    /// Of `input`, the tokens written to the prompt cache.
    public var cacheWrite: Int
    /// The provider sent no usage (llama.cpp streams, some proxies): the counts are
    /// `TokenEstimator`'s, from the characters sent and received. Never a basis for a charge.
    public var estimated: Bool

    public init(input: Int = 0, output: Int = 0, cachedInput: Int = 0, cacheWrite: Int = 0, estimated: Bool = false) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.estimated = estimated
    }

    /// What a parser records when the answer carried no usage: zero, to be estimated by the client.
    public static let unreported = TokenUsage(estimated: true)

    public var total: Int { input + output }

    /// The tokens by the price each is billed at (the cache parts taken out of `input`).
    public var counts: TokenCounts {
        TokenCounts(
            input: max(0, input - cachedInput - cacheWrite), cachedInput: cachedInput, cacheWrite: cacheWrite,
            output: output)
    }

    enum CodingKeys: String, CodingKey {
        case input, output, estimated
        case cachedInput = "cached_input"
        case cacheWrite = "cache_write"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            input: try container.decode(Int.self, forKey: .input),
            output: try container.decode(Int.self, forKey: .output),
            cachedInput: try container.decodeIfPresent(Int.self, forKey: .cachedInput) ?? 0,
            cacheWrite: try container.decodeIfPresent(Int.self, forKey: .cacheWrite) ?? 0,
            estimated: try container.decodeIfPresent(Bool.self, forKey: .estimated) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        if cachedInput > 0 { try container.encode(cachedInput, forKey: .cachedInput) }
        if cacheWrite > 0 { try container.encode(cacheWrite, forKey: .cacheWrite) }
        if estimated { try container.encode(estimated, forKey: .estimated) }
    }
}
