/// Exact decimal text ⇄ fixed-point integers, digit by digit: the one place amounts are parsed and
/// printed, so that no amount ever passes through a `Double`.
public enum FixedPoint {
    /// Why decimal text is not an amount.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notANumber
        /// More significant decimals than the amount keeps.
        case tooPrecise(decimals: Int)
        case tooLarge

        public var description: String {
            switch self {
            case .notANumber: "is not a decimal number"
            case .tooPrecise(let decimals): "has more than \(decimals) decimals"
            case .tooLarge: "is too large"
            }
        }
    }

    /// Parses decimal text (`12`, `0.33`, `-1.5`, `+7.250`, `$2.50` when `currency`) into an integer
    /// of `10^-decimals` units: `parse("0.33", decimals: 3)` is 330.
    ///
    /// Surrounding spaces are ignored; trailing zeros past `decimals` are accepted (`0.3300`), any
    /// other digit there is `tooPrecise`. Exponents, `inf`, `nan` and separators are `notANumber`.
    public static func parse(_ text: String, decimals: Int, currency: Bool = false) -> Result<Int64, ParseError> {
        var bytes = Array(text.utf8)[...]
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        if currency, bytes.first == UInt8(ascii: "$") { bytes.removeFirst() }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let wholeDigits = bytes[..<(point ?? bytes.endIndex)]
        let fractionDigits = point.map { bytes[($0 + 1)...] } ?? []
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard !(wholeDigits.isEmpty && fractionDigits.isEmpty), wholeDigits.allSatisfy(isDigit),
            fractionDigits.allSatisfy(isDigit)
        else { return .failure(.notANumber) }
        guard fractionDigits.dropFirst(decimals).allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            return .failure(.tooPrecise(decimals: decimals))
        }
        var total: Int64 = 0
        let padded = Array(fractionDigits.prefix(decimals)) + [UInt8](repeating: 48, count: decimals)
        for digit in Array(wholeDigits) + padded.prefix(decimals) {
            let (times10, overflow1) = total.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return .failure(.tooLarge) }
            total = sum
        }
        return .success(negative ? -total : total)
    }

    /// The shortest decimal text that is exactly `units × 10^-decimals`: `0.33`, `7.5`, `-2`, `1000`.
    public static func text(_ units: Int64, decimals: Int) -> String {
        let sign = units < 0 ? "-" : ""
        let scale = power(decimals)
        let magnitude = units.magnitude
        let whole = magnitude / scale
        var fraction = String(magnitude % scale)
        if fraction == "0" { return "\(sign)\(whole)" }
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(whole).\(fraction)"
    }

    /// `units × 10^-decimals` rounded half away from zero to `places` decimals, always printed with
    /// exactly `places` decimals: `rounded(1_234_567, decimals: 6, places: 2)` is `1.23`.
    ///
    /// Reports print through this one function, so every figure of one report rounds alike.
    public static func rounded(_ units: Int64, decimals: Int, places: Int) -> String {
        precondition(places <= decimals, "cannot print more decimals than the amount keeps")
        let dropped = power(decimals - places)
        let magnitude = units.magnitude
        var kept = magnitude / dropped
        if (magnitude % dropped) * 2 >= dropped { kept += 1 }
        let scale = power(places)
        let sign = units < 0 && kept > 0 ? "-" : ""
        guard places > 0 else { return "\(sign)\(kept)" }
        let fraction = String(kept % scale)
        return "\(sign)\(kept / scale).\(String(repeating: "0", count: places - fraction.count))\(fraction)"
    }

    static func power(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
