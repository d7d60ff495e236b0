import Foundation

/// An amount the ledger holds, in an organisation's billing unit: an integer count of the unit's
/// smallest fraction (thousandths of a premium request, billionths of an AI credit).
///
/// Amounts of different units are never added or compared by the ledger: each budget scope has one
/// unit, and a reservation in another unit is refused. `PremiumRequests` and `AICredits` are the
/// typed views (`premiumRequests`, `aiCredits`); this is what crosses the ledger's contract.
public struct Amount: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var unit: BillingUnit
    /// The amount in the unit's smallest fraction.
    public var minorUnits: Int64

    public init(_ unit: BillingUnit, minorUnits: Int64) {
        self.unit = unit
        self.minorUnits = minorUnits
    }

    public static func zero(_ unit: BillingUnit) -> Amount { Amount(unit, minorUnits: 0) }

    /// The exact decimal text, without the unit: `0.33`, `0.000002`.
    public var description: String { FixedPoint.text(minorUnits, decimals: unit.decimals) }

    /// The decimal text reports print: exact for premium requests, credits to hundredths.
    public var reported: String {
        switch unit {
        case .premiumRequests: description
        case .aiCredits: FixedPoint.rounded(minorUnits, decimals: unit.decimals, places: unit.reportDecimals)
        }
    }

    /// The amount with its unit: `1 premium request`, `0.33 premium requests`, `12.50 AI credits`.
    public var counted: String {
        switch unit {
        case .premiumRequests: PremiumRequests(thousandths: minorUnits).counted
        case .aiCredits: "\(reported) AI credits"
        }
    }

    /// The exact decimal value, for JSON.
    public var decimal: Decimal { FixedPoint.decimal(minorUnits, decimals: unit.decimals) }

    /// The premium requests, when that is the unit.
    public var premiumRequests: PremiumRequests? {
        unit == .premiumRequests ? PremiumRequests(thousandths: minorUnits) : nil
    }

    /// The AI credits, when that is the unit.
    public var aiCredits: AICredits? { unit == .aiCredits ? AICredits(nanocredits: minorUnits) : nil }

    /// This amount as a percentage of `whole`, rounded down; `nil` when `whole` is zero.
    public func percent(of whole: Amount) -> Int? {
        guard whole.minorUnits > 0 else { return nil }
        return Int(minorUnits.multipliedSaturating(by: 100) / whole.minorUnits)
    }

    /// Orders by unit, then amount; the ledger only ever compares amounts of one unit.
    public static func < (lhs: Amount, rhs: Amount) -> Bool {
        (lhs.unit.decimals, lhs.minorUnits) < (rhs.unit.decimals, rhs.minorUnits)
    }

    public static func + (lhs: Amount, rhs: Amount) -> Amount {
        precondition(lhs.unit == rhs.unit, "amounts of different units")
        return Amount(lhs.unit, minorUnits: lhs.minorUnits.addingSaturating(rhs.minorUnits))
    }

    public static func - (lhs: Amount, rhs: Amount) -> Amount {
        precondition(lhs.unit == rhs.unit, "amounts of different units")
        return Amount(lhs.unit, minorUnits: lhs.minorUnits - rhs.minorUnits)
    }

    public static func += (lhs: inout Amount, rhs: Amount) { lhs = lhs + rhs }
}

extension PremiumRequests {
    /// This amount as the ledger holds it.
    public var amount: Amount { Amount(.premiumRequests, minorUnits: thousandths) }
}

extension AICredits {
    /// This amount as the ledger holds it.
    public var amount: Amount { Amount(.aiCredits, minorUnits: nanocredits) }
}
