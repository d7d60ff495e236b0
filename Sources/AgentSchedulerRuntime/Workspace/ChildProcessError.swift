/// A program that could not be started.
enum ChildProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `posix_spawn` or the pipes failed: the program, and the system's reason.
    case spawnFailed(executable: String, reason: String)
    /// The calling task was cancelled before the program started.
    case cancelledBeforeStart(String)

    var description: String {
        switch self {
        case .spawnFailed(let executable, let reason): "could not start \(executable): \(reason)"
        case .cancelledBeforeStart(let executable): "\(executable) was not started: the task was cancelled"
        }
    }
}
