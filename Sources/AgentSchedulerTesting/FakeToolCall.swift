/// A tool call the fake model makes: the tool's name and its arguments as JSON text.
///
/// The server gives each call an id (`call_1`, `call_2`, … counted per script) when it answers. OpenAI clients see
/// `arguments` verbatim; Anthropic clients see it decoded as the `input` object, so it must be a JSON object.
public struct FakeToolCall: Sendable, Hashable {
    /// The tool's name, as the client declared it in `tools`.
    public var name: String
    /// The arguments as JSON object text, for example `{"path":"README.md"}`.
    public var arguments: String

    /// A call of `name` with `arguments` (JSON object text).
    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }
}
