/// Which server a fake model server imitates on its Chat Completions endpoint.
///
/// Anthropic Messages requests are answered the same way whatever the flavor.
public enum FakeServerFlavor: Sendable, Hashable {
    /// OpenAI's own API (and what GitHub Models, Azure and vLLM answer alike).
    case openAI
    /// llama.cpp's OpenAI-compatible server as llama-cpp-python 0.3 runs it, with every quirk a real
    /// one showed (see `LlamaCppChatDialect`).
    case llamaCpp

    /// The dialect that answers Chat Completions requests.
    var chatDialect: any ProviderDialect {
        switch self {
        case .openAI: OpenAIChatDialect()
        case .llamaCpp: LlamaCppChatDialect()
        }
    }
}
