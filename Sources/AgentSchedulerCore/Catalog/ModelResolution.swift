/// What a model name in a profile, policy or command comes to (`ModelCatalog.resolve(_:)`): the
/// catalog entry the name selects, and the model that runs for it.
///
/// The two differ for a retired entry only (`retired:` with `replaced-by:`, DESIGN §2.3): the old
/// name still loads, and sessions run, and are charged, on the replacement at the replacement's
/// multiplier and pricing. Validation looks at `retiredEntry` to warn about the old name.
public struct ModelResolution: Sendable, Hashable {
    /// The entry the name selects, as the catalog lists it: for a retired name, the retired entry.
    public var entry: ModelDefinition
    /// The model that runs and is priced: `entry` itself, or for a retired entry the live model
    /// its `replaced-by` chain ends at.
    public var model: ModelDefinition

    public init(entry: ModelDefinition, model: ModelDefinition) {
        self.entry = entry
        self.model = model
    }

    /// The retired entry the name selected, or `nil` when the name selects a live model.
    public var retiredEntry: ModelDefinition? { entry.retired == nil ? nil : entry }

    /// Whether the name selected a retired entry, so that another model runs in its place.
    public var isRetired: Bool { retiredEntry != nil }

    /// The warning for `name` when it selects a retired entry (an error under `--strict`, as every
    /// warning is): "model 'gpt-4' was retired on 2025-04-30; sessions run on gpt-4.1".
    public func retirementWarning(for name: Located<String>) -> Diagnostic? {
        guard let retiredEntry, let date = retiredEntry.retired else { return nil }
        return .warning(
            .retiredModel, "model '\(name.value)' was retired on \(date); sessions run on \(model.name)",
            hint: "write '\(model.name)' (or another current model) instead", at: name.location)
    }
}
