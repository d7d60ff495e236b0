import AgentSchedulerCore

extension ModelCatalog {
    /// No models: every spend fails closed as an unknown model.
    static let empty = ModelCatalog(defaultModel: "", models: [])
}
