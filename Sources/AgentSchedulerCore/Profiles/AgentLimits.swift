/// What stops an agent's session: turns, tool calls, wall time and premium requests.
public struct AgentLimits: Sendable, Hashable, Codable {
    public var maxTurns: Int?
    public var maxToolCalls: Int?
    public var maxRuntime: HumanDuration?
    public var maxPremiumRequests: PremiumRequests?
    /// The session's cap in AI credits (`max-ai-credits`), under `billing: ai-credits`.
    public var maxAICredits: AICredits?
    /// The `max_tokens` cap of each request (`max-output-tokens`); the model's catalog cap applies
    /// when it is lower.
    public var maxOutputTokens: Int?

    public init(
        maxTurns: Int? = nil,
        maxToolCalls: Int? = nil,
        maxRuntime: HumanDuration? = nil,
        maxPremiumRequests: PremiumRequests? = nil,
        maxOutputTokens: Int? = nil,
        maxAICredits: AICredits? = nil
    ) {
        self.maxTurns = maxTurns
        self.maxToolCalls = maxToolCalls
        self.maxRuntime = maxRuntime
        self.maxPremiumRequests = maxPremiumRequests
        self.maxOutputTokens = maxOutputTokens
        self.maxAICredits = maxAICredits
    }

    enum CodingKeys: String, CodingKey {
        case maxTurns = "max-turns"
        case maxToolCalls = "max-tool-calls"
        case maxRuntime = "max-runtime"
        case maxPremiumRequests = "max-premium-requests"
        case maxOutputTokens = "max-output-tokens"
        case maxAICredits = "max-ai-credits"
    }

    public var isEmpty: Bool { self == AgentLimits() }

    /// These limits with each one `child` sets taken from `child`.
    public func overridden(by child: AgentLimits) -> AgentLimits {
        AgentLimits(
            maxTurns: child.maxTurns ?? maxTurns,
            maxToolCalls: child.maxToolCalls ?? maxToolCalls,
            maxRuntime: child.maxRuntime ?? maxRuntime,
            maxPremiumRequests: child.maxPremiumRequests ?? maxPremiumRequests,
            maxOutputTokens: child.maxOutputTokens ?? maxOutputTokens,
            maxAICredits: child.maxAICredits ?? maxAICredits)
    }
}
