import Foundation

/// A request to the fake GitHub server, parsed: what the routes read.
struct FakeGitHubCall: Sendable {
    var method: String
    /// The decoded path, without the server's prefix.
    var path: String
    /// The query's decoded values (of a repeated name, the last).
    var query: [String: String]
    /// Path and query as sent, for the request log.
    var target: String
    /// Header values by lowercased name.
    var headers: [String: String]
    var body: Data

    /// The path's segments: `/repos/a/b` → `["repos", "a", "b"]`.
    var segments: [String] { path.split(separator: "/").map(String.init) }
}
