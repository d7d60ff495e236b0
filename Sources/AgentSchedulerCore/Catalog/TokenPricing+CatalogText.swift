extension TokenPricing {
    /// The pricing as a catalog writes it (DESIGN §2.3): a one-line YAML flow mapping of exact
    /// US dollars per million tokens that reads back as this pricing,
    /// `{ input: 2.5, cached-input: 0.25, output: 15, long-context: { above: 272000, input: 5, output: 22.5 } }`.
    public var catalogText: String {
        var fields = Self.fields(of: standard)
        if let longContext {
            let tier = ["above: \(longContext.above)"] + Self.fields(of: longContext.rates)
            fields.append("long-context: { \(tier.joined(separator: ", ")) }")
        }
        return "{ \(fields.joined(separator: ", ")) }"
    }

    private static func fields(of rates: Rates) -> [String] {
        var fields = ["input: \(rates.input)"]
        if let cachedInput = rates.cachedInput { fields.append("cached-input: \(cachedInput)") }
        fields.append("output: \(rates.output)")
        if let cacheWrite = rates.cacheWrite { fields.append("cache-write: \(cacheWrite)") }
        return fields
    }
}
