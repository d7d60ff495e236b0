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
    public var description: String {
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        let whole = magnitude / 1000
        var fraction = String(magnitude % 1000)
        if fraction == "0" { return "\(sign)\(whole)" }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(whole).\(fraction)"
    }

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
    /// Why decimal text is not an amount.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notANumber
        case tooPrecise
        case tooLarge

        public var description: String {
            switch self {
            case .notANumber: "is not a decimal number"
            case .tooPrecise: "has more than three decimals; amounts are kept in thousandths"
            case .tooLarge: "is too large"
            }
        }
    }

    /// Parses decimal text (`12`, `0.33`, `-1.5`, `+7.250`) exactly.
    ///
    /// Extra trailing zeros are accepted (`0.3300`); any other fourth decimal is `tooPrecise`.
    /// Exponents, `inf` and `nan` are `notANumber`.
    public static func parse(_ text: String) -> Result<PremiumRequests, ParseError> {
        var bytes = Array(text.utf8)[...]
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let wholeDigits = bytes[..<(point ?? bytes.endIndex)]
        let fractionDigits = point.map { bytes[($0 + 1)...] } ?? []
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard !(wholeDigits.isEmpty && fractionDigits.isEmpty), wholeDigits.allSatisfy(isDigit),
            fractionDigits.allSatisfy(isDigit)
        else { return .failure(.notANumber) }
        guard fractionDigits.dropFirst(3).allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            return .failure(.tooPrecise)
        }
        var total: Int64 = 0
        let scaledDigits =
            Array(wholeDigits) + (Array(fractionDigits.prefix(3)) + [UInt8](repeating: 48, count: 3)).prefix(3)
        for digit in scaledDigits {
            let (times10, overflow1) = total.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return .failure(.tooLarge) }
            total = sum
        }
        return .success(PremiumRequests(thousandths: negative ? -total : total))
    }
}

extension PremiumRequests: Codable {
    /// Encodes as an exact JSON number (through `Decimal`, never `Double`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard case .success(let amount) = PremiumRequests.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an amount of premium requests")
            }
            self = amount
            return
        }
        let decimal = try container.decode(Decimal.self)
        guard case .success(let amount) = PremiumRequests.parse(decimal.description) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(decimal) is not an amount of premium requests")
        }
        self = amount
    }

    /// The exact decimal value.
    public var decimal: Decimal {
        Decimal(sign: thousandths < 0 ? .minus : .plus, exponent: -3, significand: Decimal(thousandths.magnitude))
    }
}
