/// The fake model server's deterministic token counts, for tests that check usage accounting.
///
/// A count is the number of characters divided by four, rounded up, and at least 1. The prompt's characters are
/// those of every string value inside the request's `system` and `messages` (roles, texts, tool call ids, tool
/// arguments and results alike; object keys not counted). The completion's characters are those of the reply
/// text plus each tool call's name and arguments.
public enum TokenEstimate {
    /// The tokens for `characters` characters.
    public static func tokens(forCharacters characters: Int) -> Int {
        max(1, (characters + 3) / 4)
    }

    /// The prompt tokens the server reports for a request body.
    public static func promptTokens(for body: FakeJSON) -> Int {
        let characters = (body["system"]?.stringCharacterCount ?? 0) + (body["messages"]?.stringCharacterCount ?? 0)
        return tokens(forCharacters: characters)
    }

    /// The completion tokens the server reports for a reply.
    public static func completionTokens(text: String?, toolCalls: [FakeToolCall]) -> Int {
        let characters = (text?.count ?? 0) + toolCalls.reduce(0) { $0 + $1.name.count + $1.arguments.count }
        return tokens(forCharacters: characters)
    }
}

extension Int {
    /// This count, or `limit` when that is lower: a provider never reports more output than the
    /// request's `max_tokens`.
    func capped(at limit: Int?) -> Int { limit.map { Swift.min(self, $0) } ?? self }
}
