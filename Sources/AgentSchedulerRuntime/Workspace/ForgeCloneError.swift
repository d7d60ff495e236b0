/// Why agentsched's copy of a forge repository could not be made, fetched or pushed. Messages
/// carry git's own reason, without the token.
public enum ForgeCloneError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The clone URL holds a user and password or a token; the token must come from `token-env`.
    case credentialsInURL
    /// A git command failed: git's reason.
    case git(String)
    /// The forge wanted credentials git did not have, or refused the token: git's reason.
    case authenticationFailed(String)
    /// The forge refused the push (a protected branch, a hook, a non-fast-forward): git's reason.
    case pushRefused(branch: String, reason: String)
    case fileSystem(path: String, reason: String)
    case cancelled

    public var description: String {
        switch self {
        case .credentialsInURL:
            "the clone URL holds credentials; give the token through github.token-env instead"
        case .git(let reason): reason
        case .authenticationFailed(let reason):
            "the forge refused git's credentials (the token is missing, wrong or lacks access): \(reason)"
        case .pushRefused(let branch, let reason): "the push of \(branch) was refused: \(reason)"
        case .fileSystem(let path, let reason): "cannot prepare \(path): \(reason)"
        case .cancelled: "cancelled"
        }
    }
}
