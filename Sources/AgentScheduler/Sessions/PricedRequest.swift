import AgentSchedulerCore
import AgentSchedulerLedger

/// One model request of a session billed in AI credits, as its `request.priced` event tells it:
/// the tokens the provider reported, the price tier, what it cost and what was held for it.
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

    /// The request an event describes; `nil` for any other event, or one missing a figure.
    public init?(_ event: LedgerEvent) {
        guard event.kind == .requestPriced, let data = Optional(event.data),
            let turn = data["turn"].flatMap(Int.init), let model = data["model"],
            let input = data["input_tokens"].flatMap(Int.init), let cached = data["cached_tokens"].flatMap(Int.init),
            let written = data["cache_write_tokens"].flatMap(Int.init),
            let output = data["output_tokens"].flatMap(Int.init),
            let tier = data["tier"].flatMap(TokenPricing.Tier.init(rawValue:)),
            case .success(let cost) = AICredits.parse(data["cost"] ?? ""),
            case .success(let reserved) = AICredits.parse(data["reserved"] ?? ""),
            let maxTokens = data["max_tokens"].flatMap(Int.init)
        else { return nil }
        self.turn = turn
        self.model = model
        self.tokens = TokenCounts(input: input, cachedInput: cached, cacheWrite: written, output: output)
        self.tier = tier
        self.cost = cost
        self.reserved = reserved
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey {
        case turn, model, tokens, tier, cost, reserved
        case maxTokens = "max_tokens"
    }

    /// One line of `sessions show`: `turn 3  gpt-5.4  in 1200  cached 800  write 0  out 310  standard  0.2365`.
    var line: String {
        let columns: [(String, Int)] = [
            ("turn \(turn)", 8), (model, 20), ("in \(tokens.input)", 10), ("cached \(tokens.cachedInput)", 14),
            ("write \(tokens.cacheWrite)", 12), ("out \(tokens.output)", 10), (tier.rawValue, 14),
        ]
        let figures = "\(cost.amount.reported) of \(reserved.amount.reported) held"
        return columns.map { text, width in text + String(repeating: " ", count: max(1, width - text.count)) }
            .joined() + figures
    }
}
