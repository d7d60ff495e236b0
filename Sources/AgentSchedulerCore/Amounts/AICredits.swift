import Foundation

/// An amount of GitHub AI Credits (1 credit = US$0.01), held exactly as billionths in an integer.
///
/// A billionth of a credit is fine enough that one token of every price GitHub publishes is exact
/// (a cached token at $0.02 per million is 0.000002 credits, 2,000 billionths), and an `Int64` of
/// them still holds 9.2 billion credits (US$92 million), far above any budget. Parsed from decimal
/// text digit by digit and printed exactly; reports round through `rounded(places:)` only.
public struct AICredits: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The decimals kept: billionths of a credit.
    public static let decimals = 9
    public static let unitsPerCredit: Int64 = 1_000_000_000

    /// Billionths of one credit.
    public var nanocredits: Int64

    public init(nanocredits: Int64) {
        self.nanocredits = nanocredits
    }

    /// A whole number of credits.
    public init(_ credits: Int64) {
        self.nanocredits = credits * Self.unitsPerCredit
    }

    public static let zero = AICredits(nanocredits: 0)

    /// The exact decimal text: `0.000002`, `190000`, `12.5`.
    public var description: String { FixedPoint.text(nanocredits, decimals: Self.decimals) }

    /// The credits rounded half away from zero to `places` decimals (2 in reports).
    public func rounded(places: Int = 2) -> String {
        FixedPoint.rounded(nanocredits, decimals: Self.decimals, places: places)
    }

    /// The US-dollar value rounded to `places` decimals (a credit is one cent).
    public func dollars(places: Int = 2) -> String {
        FixedPoint.rounded(nanocredits, decimals: Self.decimals + 2, places: places)
    }

    public static func parse(_ text: String) -> Result<AICredits, FixedPoint.ParseError> {
        FixedPoint.parse(text, decimals: decimals).map(AICredits.init(nanocredits:))
    }

    public static func < (lhs: AICredits, rhs: AICredits) -> Bool { lhs.nanocredits < rhs.nanocredits }

    public static func + (lhs: AICredits, rhs: AICredits) -> AICredits {
        AICredits(nanocredits: lhs.nanocredits.addingSaturating(rhs.nanocredits))
    }

    public static func - (lhs: AICredits, rhs: AICredits) -> AICredits {
        AICredits(nanocredits: lhs.nanocredits - rhs.nanocredits)
    }

    public static func += (lhs: inout AICredits, rhs: AICredits) { lhs = lhs + rhs }
}

extension AICredits: Codable {
    /// Encodes as an exact JSON number (through `Decimal`, never `Double`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(FixedPoint.decimal(nanocredits, decimals: Self.decimals))
    }

    public init(from decoder: any Decoder) throws {
        nanocredits = try FixedPoint.decode(from: decoder, decimals: Self.decimals, what: "an amount of AI credits")
    }
}
