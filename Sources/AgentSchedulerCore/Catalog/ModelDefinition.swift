/// One model the scheduler may call: how to reach it, what it costs, and how hard to push it.
public struct ModelDefinition: Sendable, Hashable, Codable {
    /// The catalog name profiles and policies use (`gpt-4.1`).
    public var name: String
    public var provider: ModelProvider
    /// The model name sent to the provider, when it differs from `name` (`openai/gpt-4.1`).
    public var providerModel: String?
    public var baseURL: String?
    /// The environment variable that holds the API key; the key itself never enters a file.
    public var apiKeyEnvironment: String?
    /// Premium requests charged per request at this model (0, 0.25, 0.33, 1, 7.5, …); `nil` for
    /// a model that never had one, refused under `billing: premium-requests` (fail closed).
    public var multiplier: PremiumRequests?
    /// Other names that select this model, matched without regard to case (`GPT-4.1`, `sonnet`).
    public var aliases: [String]
    /// For `replay`: the folder of transcripts, relative to the workspace.
    public var transcripts: String?
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    public var timeout: HumanDuration?
    public var maxRetries: Int?
    public var maxConnections: Int?
    /// Whether requests ask for a streamed answer (`stream:`, default true). Local servers that cannot
    /// stream tool calls (llama.cpp) want `false`; a streamed answer that comes back empty is retried
    /// once without streaming either way.
    public var stream: Bool?
    /// The cap sent as `max_tokens` on every request (`max-output-tokens:`), else
    /// `defaultMaxOutputTokens`.
    public var maxOutputTokens: Int?
    /// What its tokens cost (`pricing:`), for organisations billed in AI credits; `nil` is
    /// unpriced, and such a model is refused under `billing: ai-credits` (fail closed).
    public var pricing: TokenPricing?
    /// Tokens a chat template adds around each message (`framing-tokens:`, else the catalog's
    /// top-level `framing-tokens:`, which reading the catalog copies in here), else
    /// `defaultFramingTokens`: part of the worst-case input bound reserved before a request.
    public var framingTokens: Int?
    /// When GitHub retired the model (`retired: 2026-01-15`), as written; a retired model's name
    /// still loads, with a warning, and sessions run on `replacedBy`.
    public var retired: String?
    /// The catalog model that runs, at its own price, in place of a retired one (`replaced-by:`),
    /// by its catalog name once the catalog is read. See `ModelCatalog.resolve(_:)`.
    public var replacedBy: String?

    /// The framing allowance per message of a model whose entry and catalog set none: a
    /// conservative worst-case bound, not a measured figure.
    public static let defaultFramingTokens = 16

    /// The framing allowance per message: the entry's or the catalog's `framing-tokens`, else
    /// the default.
    public var framingTokensPerMessage: Int { framingTokens ?? Self.defaultFramingTokens }

    /// The output cap of a model whose catalog entry sets none: a runaway answer ends, a real one fits.
    public static let defaultMaxOutputTokens = 4096

    /// Whether requests stream: the catalog's `stream`, true when unset.
    public var streams: Bool { stream ?? true }

    /// The `max_tokens` cap of every request: the catalog's `max-output-tokens`, else the default.
    public var outputTokenCap: Int { maxOutputTokens ?? Self.defaultMaxOutputTokens }

    public init(
        name: String,
        provider: ModelProvider,
        multiplier: PremiumRequests?,
        providerModel: String? = nil,
        baseURL: String? = nil,
        apiKeyEnvironment: String? = nil,
        aliases: [String] = [],
        transcripts: String? = nil,
        requestsPerMinute: Int? = nil,
        tokensPerMinute: Int? = nil,
        timeout: HumanDuration? = nil,
        maxRetries: Int? = nil,
        maxConnections: Int? = nil,
        stream: Bool? = nil,
        maxOutputTokens: Int? = nil,
        pricing: TokenPricing? = nil,
        framingTokens: Int? = nil,
        retired: String? = nil,
        replacedBy: String? = nil
    ) {
        self.name = name
        self.provider = provider
        self.multiplier = multiplier
        self.providerModel = providerModel
        self.baseURL = baseURL
        self.apiKeyEnvironment = apiKeyEnvironment
        self.aliases = aliases
        self.transcripts = transcripts
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.maxConnections = maxConnections
        self.stream = stream
        self.maxOutputTokens = maxOutputTokens
        self.pricing = pricing
        self.framingTokens = framingTokens
        self.retired = retired
        self.replacedBy = replacedBy
    }

    enum CodingKeys: String, CodingKey {
        case name, provider, multiplier, aliases, transcripts, timeout, rpm, tpm, stream
        case maxOutputTokens = "max-output-tokens"
        case pricing, retired
        case framingTokens = "framing-tokens"
        case replacedBy = "replaced-by"
        case providerModel = "id"
        case baseURL = "base-url"
        case apiKeyEnvironment = "api-key-env"
        case maxRetries = "max-retries"
        case maxConnections = "max-connections"

        static let requestsPerMinute = CodingKeys.rpm
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(provider, forKey: .provider)
        try container.encodeIfPresent(providerModel, forKey: .providerModel)
        try container.encodeIfPresent(baseURL, forKey: .baseURL)
        try container.encodeIfPresent(apiKeyEnvironment, forKey: .apiKeyEnvironment)
        try container.encodeIfPresent(multiplier, forKey: .multiplier)
        if !aliases.isEmpty { try container.encode(aliases, forKey: .aliases) }
        try container.encodeIfPresent(transcripts, forKey: .transcripts)
        try container.encodeIfPresent(requestsPerMinute, forKey: .rpm)
        try container.encodeIfPresent(tokensPerMinute, forKey: .tpm)
        try container.encodeIfPresent(timeout, forKey: .timeout)
        try container.encodeIfPresent(maxRetries, forKey: .maxRetries)
        try container.encodeIfPresent(maxConnections, forKey: .maxConnections)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encodeIfPresent(maxOutputTokens, forKey: .maxOutputTokens)
        try container.encodeIfPresent(pricing, forKey: .pricing)
        try container.encodeIfPresent(framingTokens, forKey: .framingTokens)
        try container.encodeIfPresent(retired, forKey: .retired)
        try container.encodeIfPresent(replacedBy, forKey: .replacedBy)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            provider: try container.decode(ModelProvider.self, forKey: .provider),
            multiplier: try container.decodeIfPresent(PremiumRequests.self, forKey: .multiplier),
            providerModel: try container.decodeIfPresent(String.self, forKey: .providerModel),
            baseURL: try container.decodeIfPresent(String.self, forKey: .baseURL),
            apiKeyEnvironment: try container.decodeIfPresent(String.self, forKey: .apiKeyEnvironment),
            aliases: try container.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            transcripts: try container.decodeIfPresent(String.self, forKey: .transcripts),
            requestsPerMinute: try container.decodeIfPresent(Int.self, forKey: .rpm),
            tokensPerMinute: try container.decodeIfPresent(Int.self, forKey: .tpm),
            timeout: try container.decodeIfPresent(HumanDuration.self, forKey: .timeout),
            maxRetries: try container.decodeIfPresent(Int.self, forKey: .maxRetries),
            maxConnections: try container.decodeIfPresent(Int.self, forKey: .maxConnections),
            stream: try container.decodeIfPresent(Bool.self, forKey: .stream),
            maxOutputTokens: try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens),
            pricing: try container.decodeIfPresent(TokenPricing.self, forKey: .pricing),
            framingTokens: try container.decodeIfPresent(Int.self, forKey: .framingTokens),
            retired: try container.decodeIfPresent(String.self, forKey: .retired),
            replacedBy: try container.decodeIfPresent(String.self, forKey: .replacedBy))
    }
}
