/// The tokens of one model request, by the price each kind is billed at.
///
/// Providers count differently: OpenAI's `prompt_tokens` includes the cached ones, Anthropic's
/// `input_tokens` excludes cache reads and writes. Here the four kinds never overlap, so
/// `promptTokens` is every token of the prompt however it was billed.
public struct TokenCounts: Sendable, Hashable, Codable {
    /// Prompt tokens billed at the input price: neither read from nor written to a cache.
    public var input: Int
    /// Prompt tokens read from the provider's cache.
    public var cachedInput: Int
    /// Prompt tokens written to the provider's cache.
    public var cacheWrite: Int
    public var output: Int

    public init(input: Int = 0, cachedInput: Int = 0, cacheWrite: Int = 0, output: Int = 0) {
        self.input = input
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.output = output
    }

    public static let zero = TokenCounts()

    /// Every token of the prompt: what a long-context threshold is compared with.
    public var promptTokens: Int { input + cachedInput + cacheWrite }

    public static func + (lhs: TokenCounts, rhs: TokenCounts) -> TokenCounts {
        TokenCounts(
            input: lhs.input + rhs.input, cachedInput: lhs.cachedInput + rhs.cachedInput,
            cacheWrite: lhs.cacheWrite + rhs.cacheWrite, output: lhs.output + rhs.output)
    }

    public static func += (lhs: inout TokenCounts, rhs: TokenCounts) { lhs = lhs + rhs }

    enum CodingKeys: String, CodingKey {
        case input
        case cachedInput = "cached_input"
        case cacheWrite = "cache_write"
        case output
    }
}
