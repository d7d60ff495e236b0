/// A failure the fake GitHub server answers with instead of serving a request (see
/// `FakeGitHubServer.inject(_:count:path:)`).
public enum FakeGitHubFault: Sendable, Hashable {
    /// A used-up primary rate limit: `status` (403 or 429), `x-ratelimit-remaining: 0` and
    /// `x-ratelimit-reset` `resetAfter` seconds from now.
    case primaryRateLimit(resetAfter: Int, status: Int = 403)
    /// A secondary rate limit: `status` (429 or 403) with `retry-after: seconds`.
    case secondaryRateLimit(retryAfter: Int, status: Int = 429)
    /// A 5xx answer with GitHub's error body.
    case serverError(Int)
    /// No answer at all until the server stops.
    case hang
    /// The connection closed before a byte of the answer.
    case dropConnection
}
