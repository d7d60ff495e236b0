/// What usage a fake answer reports.
public enum FakeUsage: Sendable, Hashable {
    /// The estimated counts (`TokenEstimate`), as providers report them, with no cache.
    case reported
    /// No usage at all: no `usage` key, no usage chunk in a stream (some proxies and servers).
    case omitted
    /// The estimated prompt of which `read` tokens came from the prompt cache and `written` were
    /// written to it: OpenAI's `prompt_tokens_details.cached_tokens` (OpenAI reports no writes),
    /// Anthropic's `cache_read_input_tokens` and `cache_creation_input_tokens`, with its
    /// `input_tokens` the rest.
    case cached(read: Int, written: Int)
}
