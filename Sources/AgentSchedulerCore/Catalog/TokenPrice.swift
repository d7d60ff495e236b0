import Foundation

/// A model's price for one kind of token, written as US dollars per million tokens (`2.50`,
/// `$0.025`) and held exactly as AI-credit billionths per token.
///
/// $1 per million tokens is 10⁻⁴ credits, 100,000 billionths, per token: a price with up to five
/// decimals of dollars is an exact integer here, and a request's cost is tokens × this, exactly.
public struct TokenPrice: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The decimals of dollars per million tokens that one billionth of a credit per token is.
    public static let decimals = 5

    public var nanocreditsPerToken: Int64

    public init(nanocreditsPerToken: Int64) {
        self.nanocreditsPerToken = nanocreditsPerToken
    }

    /// Parses dollars per million tokens (`2.50`, `$0.025`) exactly.
    public static func parse(_ text: String) -> Result<TokenPrice, FixedPoint.ParseError> {
        FixedPoint.parse(text, decimals: decimals, currency: true).map(TokenPrice.init(nanocreditsPerToken:))
    }

    /// Dollars per million tokens, exactly: `2.5`, `0.025`.
    public var description: String { FixedPoint.text(nanocreditsPerToken, decimals: Self.decimals) }

    /// What `tokens` tokens cost at this price.
    public func cost(of tokens: Int) -> AICredits {
        AICredits(nanocredits: Int64(tokens).multipliedSaturating(by: nanocreditsPerToken))
    }

    public static func < (lhs: TokenPrice, rhs: TokenPrice) -> Bool {
        lhs.nanocreditsPerToken < rhs.nanocreditsPerToken
    }
}

extension TokenPrice: Codable {
    /// Encodes as an exact JSON number of dollars per million tokens.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(FixedPoint.decimal(nanocreditsPerToken, decimals: Self.decimals))
    }

    public init(from decoder: any Decoder) throws {
        nanocreditsPerToken = try FixedPoint.decode(
            from: decoder, decimals: Self.decimals, currency: true, what: "a price in dollars per million tokens")
    }
}
