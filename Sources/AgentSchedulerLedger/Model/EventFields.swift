import AgentSchedulerCore

/// An event's fields while `EventPayload` encodes or decodes them: a flat map of strings.
///
/// Decoding takes each field once; `finish()` then throws for any the kind does not have, so a
/// misspelt or foreign field is an error rather than a silent loss.
struct EventFields {
    private(set) var values: [String: String]
    private let kind: EventKind?

    /// Empty, to encode into.
    init() {
        values = [:]
        kind = nil
    }

    /// A stored event's fields, to decode.
    init(_ values: [String: String], kind: EventKind) {
        self.values = values
        self.kind = kind
    }

    subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// Writes `amount` as its exact decimal at `key`, and its unit at `unit` unless it is premium
    /// requests (the one unit events had before AI credits).
    mutating func set(_ amount: Amount, at key: String) {
        values[key] = amount.description
        if amount.unit != .premiumRequests { values["unit"] = amount.unit.rawValue }
    }

    // MARK: Decoding

    /// The text at `key`; throws when it is missing.
    mutating func text(_ key: String) throws -> String {
        guard let text = values.removeValue(forKey: key) else { throw missing(key) }
        return text
    }

    /// The text at `key`, if any.
    mutating func optionalText(_ key: String) -> String? {
        values.removeValue(forKey: key)
    }

    /// The value at `key`; throws when it is missing or does not parse.
    mutating func value<Value: EventFieldValue>(_ key: String) throws -> Value {
        try Self.parse(try text(key), key, kind)
    }

    /// The value at `key`, if any; throws when it is there and does not parse.
    mutating func optionalValue<Value: EventFieldValue>(_ key: String) throws -> Value? {
        try optionalText(key).map { try Self.parse($0, key, kind) }
    }

    /// The amount at `key`, in the unit at `unit` (premium requests when there is none).
    ///
    /// `budget.released` events written before releases named their unit say nothing of it even
    /// for AI credits; an amount that is not premium requests is then read as credits.
    mutating func amount(_ key: String) throws -> Amount {
        let text = try text(key)
        let unit: BillingUnit? = try values["unit"].map { try Self.parse($0, "unit", kind) }
        let legacy: [BillingUnit] = kind == .budgetReleased ? [.premiumRequests, .aiCredits] : [.premiumRequests]
        for candidate in unit.map({ [$0] }) ?? legacy {
            if case .success(let units) = FixedPoint.parse(text, decimals: candidate.decimals) {
                return Amount(candidate, minorUnits: units)
            }
        }
        throw invalid(key, text)
    }

    /// The amount at `key`, if any.
    mutating func optionalAmount(_ key: String) throws -> Amount? {
        values[key] == nil ? nil : try amount(key)
    }

    /// The AI credits at `key`.
    mutating func credits(_ key: String) throws -> AICredits {
        let text = try text(key)
        guard case .success(let credits) = AICredits.parse(text) else { throw invalid(key, text) }
        return credits
    }

    /// Throws for any field decoding did not take (the `unit` beside amounts is taken by them).
    mutating func finish() throws {
        values.removeValue(forKey: "unit")
        guard let unknown = values.keys.sorted().first else { return }
        throw LedgerError.corrupt("a \(kind?.rawValue ?? "") event has a field it does not know: '\(unknown)'")
    }

    func invalid(_ key: String, _ text: String) -> LedgerError { Self.invalid(key, text, kind) }

    private func missing(_ key: String) -> LedgerError {
        .corrupt("a \(kind?.rawValue ?? "") event has no \(key)")
    }

    static func parse<Value: EventFieldValue>(_ text: String, _ key: String, _ kind: EventKind?) throws -> Value {
        guard let value = Value(eventField: text) else { throw invalid(key, text, kind) }
        return value
    }

    private static func invalid(_ key: String, _ text: String, _ kind: EventKind?) -> LedgerError {
        .corrupt("a \(kind?.rawValue ?? "") event's \(key) '\(text.prefix(80))' is not valid")
    }
}

/// A typed value an event field holds as text.
protocol EventFieldValue {
    init?(eventField text: String)
}

extension Int: EventFieldValue {
    init?(eventField text: String) { self.init(text) }
}

extension Int32: EventFieldValue {
    init?(eventField text: String) { self.init(text) }
}

extension Int64: EventFieldValue {
    init?(eventField text: String) { self.init(text) }
}

extension Bool: EventFieldValue {
    init?(eventField text: String) { self.init(text) }
}

extension LedgerID: EventFieldValue {
    init?(eventField text: String) { self.init(text) }
}

extension WorkerID: EventFieldValue {
    init?(eventField text: String) {
        guard !text.isEmpty else { return nil }
        self.init(rawValue: text)
    }
}

extension SessionState: EventFieldValue {
    init?(eventField text: String) { self.init(rawValue: text) }
}

extension ChargeKind: EventFieldValue {
    init?(eventField text: String) { self.init(rawValue: text) }
}

extension BillingUnit: EventFieldValue {
    init?(eventField text: String) { self.init(rawValue: text) }
}

extension TokenPricing.Tier: EventFieldValue {
    init?(eventField text: String) { self.init(rawValue: text) }
}
