/// Every model the scheduler may call, from `policies/models.yaml`.
public struct ModelCatalog: Sendable, Hashable, Codable {
    /// The model `inherit` and an absent `model:` stand for.
    public var defaultModel: String
    /// In file order.
    public var models: [ModelDefinition]

    public init(defaultModel: String, models: [ModelDefinition]) {
        self.defaultModel = defaultModel
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case defaultModel = "default"
        case models
    }

    /// The model a profile or policy means by `name`: a catalog name or alias, without regard to
    /// case; `inherit` is the default model.
    public func model(named name: String) -> ModelDefinition? {
        let wanted = name.lowercased() == "inherit" ? defaultModel.lowercased() : name.lowercased()
        return models.first { $0.name.lowercased() == wanted }
            ?? models.first { $0.aliases.contains { $0.lowercased() == wanted } }
    }

    /// Every name and alias, for "did you mean".
    public var allNames: [String] {
        models.flatMap { [$0.name] + $0.aliases }
    }
}
