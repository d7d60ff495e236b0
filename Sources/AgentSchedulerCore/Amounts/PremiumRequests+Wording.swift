extension PremiumRequests {
    /// The amount with its unit, singular for exactly one: `1 premium request`, `0.33 premium requests`.
    public var counted: String {
        "\(self) premium request" + (self == PremiumRequests(1) ? "" : "s")
    }
}

/// `count` and `noun`, the noun in the plural unless `count` is 1: `1 session`, `3 sessions`.
public func pluralized(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
