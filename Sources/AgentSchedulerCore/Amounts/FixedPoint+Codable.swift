import Foundation

extension FixedPoint {
    /// Decodes a fixed-point amount written as a JSON number or as decimal text, exactly: a number
    /// goes through `Decimal`, never `Double`. `what` names the amount in the error
    /// (`an amount of AI credits`).
    public static func decode(
        from decoder: any Decoder, decimals: Int, currency: Bool = false, what: String
    ) throws -> Int64 {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode(Decimal.self).description
        }
        guard case .success(let units) = parse(text, decimals: decimals, currency: currency) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not \(what)")
        }
        return units
    }

    /// `units × 10^-decimals` as an exact `Decimal`, for encoding as a JSON number.
    public static func decimal(_ units: Int64, decimals: Int) -> Decimal {
        Decimal(sign: units < 0 ? .minus : .plus, exponent: -decimals, significand: Decimal(units.magnitude))
    }
}
