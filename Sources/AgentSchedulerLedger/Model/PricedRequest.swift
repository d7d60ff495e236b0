import AgentSchedulerCore

/// One model request of a session billed in AI credits, as its `request.priced` event tells it:
/// the tokens the provider reported, the price tier, what it cost and what was held for it.
///
/// Encodes (for `sessions show --format json`) as `turn`, `model`, `tokens`, `tier`, `cost`,
/// `reserved` and `max_tokens`.
public struct PricedRequest: Sendable, Hashable, Encodable {
    public var turn: Int
    public var model: String
    public var tokens: TokenCounts
    public var tier: TokenPricing.Tier
    public var cost: AICredits
    /// The worst case reserved before the request was sent.
    public var reserved: AICredits
    /// The `max_tokens` the request was sent with.
    public var maxTokens: Int
    /// The prompt tokens the reservation assumed; `nil` in events older than the bound.
    public var promptBound: Int?
    /// Why the charge was capped at the reservation: set when the reported usage cost more.
    public var capped: String?

    public init(
        turn: Int, model: String, tokens: TokenCounts, tier: TokenPricing.Tier, cost: AICredits,
        reserved: AICredits, maxTokens: Int, promptBound: Int?, capped: String? = nil
    ) {
        self.turn = turn
        self.model = model
        self.tokens = tokens
        self.tier = tier
        self.cost = cost
        self.reserved = reserved
        self.maxTokens = maxTokens
        self.promptBound = promptBound
        self.capped = capped
    }

    enum CodingKeys: String, CodingKey {
        case turn, model, tokens, tier, cost, reserved
        case maxTokens = "max_tokens"
    }
}
