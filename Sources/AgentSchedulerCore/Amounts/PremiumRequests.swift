import Foundation

/// An amount of premium requests, held exactly as thousandths in an integer.
///
/// Every amount in agentsched — budgets, allowances, multipliers, charges — is this type.
/// It is parsed from decimal text digit by digit (`"0.33"` is 330 thousandths, never a `Double`
/// on the way) and printed with up to three decimals (`0.33`, `7.5`, `300`).
public struct PremiumRequests: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Thousandths of one premium request.
    public var thousandths: Int64

    public init(thousandths: Int64) {
        self.thousandths = thousandths
    }

    /// A whole number of premium requests.
    public init(_ units: Int64) {
        self.thousandths = units * 1000
    }

    public static let zero = PremiumRequests(thousandths: 0)

    /// The shortest decimal text that is exactly this amount: `0.33`, `7.5`, `-2`, `1000`.
    public var description: String { FixedPoint.text(thousandths, decimals: 3) }

    public static func < (lhs: PremiumRequests, rhs: PremiumRequests) -> Bool {
        lhs.thousandths < rhs.thousandths
    }

    public static func + (lhs: PremiumRequests, rhs: PremiumRequests) -> PremiumRequests {
        PremiumRequests(thousandths: lhs.thousandths + rhs.thousandths)
    }

    public static func - (lhs: PremiumRequests, rhs: PremiumRequests) -> PremiumRequests {
        PremiumRequests(thousandths: lhs.thousandths - rhs.thousandths)
    }

    public static func += (lhs: inout PremiumRequests, rhs: PremiumRequests) {
        lhs.thousandths += rhs.thousandths
    }

    /// `count` requests at this multiplier: the charge for `count` premium requests.
    public func times(_ count: Int) -> PremiumRequests {
        PremiumRequests(thousandths: thousandths * Int64(count))
    }

    /// This amount as a percentage of `whole`, rounded down; `nil` when `whole` is zero.
    public func percent(of whole: PremiumRequests) -> Int? {
        guard whole.thousandths > 0 else { return nil }
        return Int(thousandths * 100 / whole.thousandths)
    }
}

extension PremiumRequests {
    public typealias ParseError = FixedPoint.ParseError

    /// Parses decimal text (`12`, `0.33`, `-1.5`, `+7.250`) exactly.
    ///
    /// Extra trailing zeros are accepted (`0.3300`); any other fourth decimal is `tooPrecise`.
    /// Exponents, `inf` and `nan` are `notANumber`.
    public static func parse(_ text: String) -> Result<PremiumRequests, ParseError> {
        FixedPoint.parse(text, decimals: 3).map(PremiumRequests.init(thousandths:))
    }
}

extension PremiumRequests: Codable {
    /// Encodes as an exact JSON number (through `Decimal`, never `Double`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }

    public init(from decoder: any Decoder) throws {
        thousandths = try FixedPoint.decode(from: decoder, decimals: 3, what: "an amount of premium requests")
    }

    /// The exact decimal value.
    public var decimal: Decimal { FixedPoint.decimal(thousandths, decimals: 3) }
}
