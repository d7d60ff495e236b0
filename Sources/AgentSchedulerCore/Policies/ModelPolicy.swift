/// Which catalog models an organisation may use, and what it pays for them if not the catalog's multiplier.
public struct ModelPolicy: Sendable, Hashable, Codable {
    /// Catalog names or globs; `*` allows every model.
    public var allow: [String]
    /// Catalog name → multiplier, overriding the catalog (annual plans, negotiated rates).
    public var multipliers: [String: PremiumRequests]

    public init(allow: [String] = ["*"], multipliers: [String: PremiumRequests] = [:]) {
        self.allow = allow
        self.multipliers = multipliers
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
}
