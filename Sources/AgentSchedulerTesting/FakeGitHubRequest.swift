/// One request the fake GitHub server received, as its request log keeps it. The token itself is
/// never kept: only whether it was one the server knows.
public struct FakeGitHubRequest: Sendable, Hashable {
    public var method: String
    /// The path (without the server's prefix) and the query, as sent.
    public var target: String
    /// The status answered; `nil` for a request that met `.hang` or `.dropConnection`.
    public var status: Int?
    /// Whether it carried `If-None-Match`.
    public var conditional: Bool
    /// Whether it carried a token the server knows.
    public var authorized: Bool

    /// The path without the query.
    public var path: String { String(target.prefix(while: { $0 != "?" })) }
}
