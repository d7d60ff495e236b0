/// What a model's tokens cost (`pricing:` in the catalog, DESIGN §2.3 and §9): a price per kind of
/// token, and optionally dearer prices once a prompt passes a long-context threshold.
public struct TokenPricing: Sendable, Hashable, Codable {
    /// One set of prices.
    public struct Rates: Sendable, Hashable, Codable {
        public var input: TokenPrice
        /// `nil`: cache reads are billed at the input price.
        public var cachedInput: TokenPrice?
        public var output: TokenPrice
        /// `nil`: the model has no cache-write price; any cache write reported is billed at the
        /// input price, never free.
        public var cacheWrite: TokenPrice?

        public init(
            input: TokenPrice, cachedInput: TokenPrice? = nil, output: TokenPrice, cacheWrite: TokenPrice? = nil
        ) {
            self.input = input
            self.cachedInput = cachedInput
            self.output = output
            self.cacheWrite = cacheWrite
        }

        enum CodingKeys: String, CodingKey {
            case input, output
            case cachedInput = "cached-input"
            case cacheWrite = "cache-write"
        }

        /// What `tokens` cost at these rates.
        public func cost(of tokens: TokenCounts) -> AICredits {
            input.cost(of: tokens.input) + (cachedInput ?? input).cost(of: tokens.cachedInput)
                + (cacheWrite ?? input).cost(of: tokens.cacheWrite) + output.cost(of: tokens.output)
        }

        /// The dearest price any prompt token can be billed at.
        public var dearestInput: TokenPrice { max(input, cachedInput ?? input, cacheWrite ?? input) }
    }

    /// Prices that apply once a prompt has more than `above` tokens.
    public struct LongContext: Sendable, Hashable, Codable {
        public var above: Int
        public var rates: Rates

        public init(above: Int, rates: Rates) {
            self.above = above
            self.rates = rates
        }
    }

    /// Which prices a request was billed at.
    public enum Tier: String, Sendable, Hashable, Codable {
        case standard
        case longContext = "long-context"
    }

    public var standard: Rates
    public var longContext: LongContext?

    enum CodingKeys: String, CodingKey {
        case standard
        case longContext = "long-context"
    }

    public init(standard: Rates, longContext: LongContext? = nil) {
        self.standard = standard
        self.longContext = longContext
    }

    /// Whether every price of every tier is zero (a local model): it may serve as a fallback.
    public var isFree: Bool {
        [standard, longContext?.rates].compactMap { $0 }.allSatisfy { rates in
            [rates.input, rates.cachedInput, rates.output, rates.cacheWrite].allSatisfy {
                ($0?.nanocreditsPerToken ?? 0) == 0
            }
        }
    }

    /// The tier and rates for a prompt of `promptTokens` tokens.
    public func rates(forPrompt promptTokens: Int) -> (Tier, Rates) {
        if let longContext, promptTokens > longContext.above { return (.longContext, longContext.rates) }
        return (.standard, standard)
    }

    /// What a request with these tokens costs, and the tier it is billed at.
    public func cost(of tokens: TokenCounts) -> (tier: Tier, credits: AICredits) {
        let (tier, rates) = rates(forPrompt: tokens.promptTokens)
        return (tier, rates.cost(of: tokens))
    }

    /// The most a request can cost with at most `promptTokens` prompt tokens and `outputTokens`
    /// output tokens: every prompt token at the dearest input price of the tier the bound falls in.
    public func worstCase(promptTokens: Int, outputTokens: Int) -> (tier: Tier, credits: AICredits) {
        let (tier, rates) = rates(forPrompt: promptTokens)
        return (tier, rates.dearestInput.cost(of: promptTokens) + rates.output.cost(of: outputTokens))
    }

    /// The most output tokens that fit in `credits` after `promptTokens` prompt tokens at worst.
    public func outputTokens(fitting credits: AICredits, promptTokens: Int) -> Int {
        let (_, rates) = rates(forPrompt: promptTokens)
        let left = credits - rates.dearestInput.cost(of: promptTokens)
        guard left.nanocredits > 0 else { return 0 }
        guard rates.output.nanocreditsPerToken > 0 else { return Int.max }
        return Int(left.nanocredits / rates.output.nanocreditsPerToken)
    }
}
