/// Why a git worktree operation failed, with git's own words.
public enum WorktreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// git ran and failed: the command line (without `-c` settings), its exit status and stderr.
    case gitFailed(command: String, status: String, standardError: String)
    /// git could not be started (not installed, not on `PATH`), or was cancelled before it started.
    case gitUnavailable(String)
    /// git was stopped because the calling task was cancelled.
    case cancelled(command: String)
    /// An argument git would misread: a trailer key with a colon, a name with a newline, …
    case invalidArgument(String)
    /// A file could not be written.
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .gitFailed(let command, let status, let standardError):
            "\(command) failed (\(status))"
                + (standardError.isEmpty ? "" : ": \(standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        case .gitUnavailable(let reason): "git is unavailable: \(reason)"
        case .cancelled(let command): "\(command) was cancelled"
        case .invalidArgument(let reason): reason
        case .fileSystem(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
