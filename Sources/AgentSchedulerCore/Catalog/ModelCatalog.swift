/// Every model the scheduler may call, from `policies/models.yaml`.
public struct ModelCatalog: Sendable, Hashable, Codable {
    /// The model `inherit` and an absent `model:` stand for.
    public var defaultModel: String
    /// In file order, retired entries included.
    public var models: [ModelDefinition]
    /// The catalog's `framing-tokens:`, the framing allowance per message of every model whose
    /// entry sets none; reading the file copies it into those entries, so that
    /// `ModelDefinition.framingTokensPerMessage` is the effective value on its own.
    public var framingTokens: Int?

    /// How many `replaced-by` links `resolve(_:)` follows before it gives up (a loop, or a chain
    /// the catalog's checks would have refused).
    public static let maxReplacementHops = 4

    public init(defaultModel: String, models: [ModelDefinition], framingTokens: Int? = nil) {
        self.defaultModel = defaultModel
        self.models = models
        self.framingTokens = framingTokens
    }

    enum CodingKeys: String, CodingKey {
        case defaultModel = "default"
        case models
        case framingTokens = "framing-tokens"
    }

    /// The model that runs when a profile or policy names `name`: `resolve(name)?.model`.
    ///
    /// For a retired name that is its replacement, so that sessions run, and are priced, on the
    /// model that really answers; `resolve(_:)` also gives the retired entry, for warnings.
    public func model(named name: String) -> ModelDefinition? {
        resolve(name)?.model
    }

    /// The entry `name` selects and the model that runs for it, or `nil` when the name selects
    /// nothing (or a retired entry whose replacement chain ends nowhere, which fails closed).
    ///
    /// Names match catalog names and aliases without regard to case; `inherit` is the default
    /// model. A name that matches nothing as written is tried without a VS Code vendor suffix
    /// (`Claude Sonnet 4.5 (copilot)`), then as an Anthropic API id (`claude-sonnet-4-5-20250929`
    /// → `claude-sonnet-4.5`); see `spellings(of:)`.
    public func resolve(_ name: String) -> ModelResolution? {
        guard let entry = entry(named: name) else { return nil }
        var model = entry
        var hops = 0
        while model.retired != nil {
            guard hops < Self.maxReplacementHops, let replacement = model.replacedBy.flatMap(entry(named:))
            else { return nil }
            model = replacement
            hops += 1
        }
        return ModelResolution(entry: entry, model: model)
    }

    /// The entry `name` selects as the catalog lists it: a retired entry is returned as itself,
    /// not replaced. Use `model(named:)` for the model that runs.
    public func entry(named name: String) -> ModelDefinition? {
        let written = name.trimmingSpaces
        let wanted = written.lowercased() == "inherit" ? defaultModel : written
        for spelling in Self.spellings(of: wanted) {
            if let model = models.first(where: { $0.name.lowercased() == spelling })
                ?? models.first(where: { $0.aliases.contains { $0.lowercased() == spelling } })
            {
                return model
            }
        }
        return nil
    }

    /// Every name and alias, for "did you mean".
    public var allNames: [String] {
        models.flatMap { [$0.name] + $0.aliases }
    }
}
