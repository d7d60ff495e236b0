import Foundation

/// Why a forge could not answer. Every message is one line and carries no secret.
public enum ForgeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The forge refused the token (GitHub's 401); `variable` is the environment variable it came from.
    case unauthorized(variable: String)
    /// The token is missing: `variable` is unset or empty.
    case missingToken(variable: String)
    /// A repository, issue or user that does not exist (or that the token may not see).
    case notFound(String)
    /// A pull request from that head exists already (GitHub's 422), or another refusal of the request.
    case conflict(String)
    /// The forge could not be reached, or kept failing (5xx after the retries).
    case unreachable(String)
    /// The forge answered something that is not what its API promises.
    case malformed(String)
    /// Rate-limited past what the caller was willing to wait.
    case rateLimited(until: Date)

    public var description: String {
        switch self {
        case .unauthorized(let variable):
            "the forge refused the token in $\(variable) (401 Unauthorized); check that it is valid and not expired"
        case .missingToken(let variable):
            "no forge token: $\(variable) is not set"
        case .notFound(let what): what
        case .conflict(let what): what
        case .unreachable(let why): "the forge cannot be reached: \(why)"
        case .malformed(let why): "the forge answered something unexpected: \(why)"
        case .rateLimited(let until):
            "the forge's rate limit is used up until \(ISO8601DateFormatter().string(from: until))"
        }
    }
}
