/// Which catalog models an organisation may use, and what it pays for them if not the catalog's multiplier.
public struct ModelPolicy: Sendable, Hashable, Codable {
    /// Catalog names or globs; `*` allows every model.
    public var allow: [String]
    /// Catalog name → multiplier, overriding the catalog (annual plans, negotiated rates).
    public var multipliers: [String: PremiumRequests]
    /// Catalog name → token pricing, overriding the catalog's (`models.pricing`, under AI credits).
    public var pricing: [String: TokenPricing]

    public init(
        allow: [String] = ["*"], multipliers: [String: PremiumRequests] = [:], pricing: [String: TokenPricing] = [:]
    ) {
        self.allow = allow
        self.multipliers = multipliers
        self.pricing = pricing
    }

    public func allows(_ model: ModelDefinition) -> Bool {
        allow.contains { pattern in
            let glob = Glob(pattern)
            return glob.matches(model.name, ignoringCase: true)
                || model.aliases.contains { glob.matches($0, ignoringCase: true) }
        }
    }

    /// The multiplier this organisation pays for `model`; `nil` when neither it nor the catalog
    /// has one (such a model is refused under premium requests).
    public func multiplier(for model: ModelDefinition) -> PremiumRequests? {
        multipliers[model.name] ?? model.multiplier
    }

    /// The token pricing this organisation pays for `model`; `nil` when neither it nor the
    /// catalog prices it (such a model is refused under AI credits).
    public func pricing(for model: ModelDefinition) -> TokenPricing? {
        pricing[model.name] ?? model.pricing
    }

    /// Whether `model` costs nothing in `unit`: multiplier 0, or every token price 0. A fallback
    /// model must.
    public func isFree(_ model: ModelDefinition, in unit: BillingUnit) -> Bool {
        switch unit {
        case .premiumRequests: multiplier(for: model) == .zero
        case .aiCredits: pricing(for: model)?.isFree ?? false
        }
    }
}
