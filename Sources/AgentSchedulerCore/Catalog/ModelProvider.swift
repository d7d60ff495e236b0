/// The wire protocol a model is reached through.
public enum ModelProvider: String, Sendable, Hashable, Codable, CaseIterable {
    /// Chat Completions with tool calls: OpenAI, GitHub Models, Azure OpenAI, Ollama, vLLM, llama.cpp.
    case openai
    /// Anthropic's Messages API.
    case anthropic
    /// Recorded responses, for offline runs and tests.
    case replay

    /// Where requests go when the catalog names no `base-url`.
    public var defaultBaseURL: String? {
        switch self {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com"
        case .replay: nil
        }
    }
}
