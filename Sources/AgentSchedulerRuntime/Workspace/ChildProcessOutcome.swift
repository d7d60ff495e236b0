#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a child process ended, and what it wrote.
struct ChildProcessOutcome: Sendable {
    /// Why the process group was ended.
    enum Ending: Sendable, Hashable {
        /// The program exited by itself.
        case finished
        /// The timeout passed first.
        case timedOut
        /// The calling task was cancelled.
        case cancelled
    }

    /// The program's own end: an exit status or the signal that killed it.
    enum Termination: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exit code \(status)"
            case .signalled(let signal): "killed by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "")"
            }
        }

        private static func signalName(_ signal: Int32) -> String? {
            switch signal {
            case SIGTERM: "SIGTERM"
            case SIGKILL: "SIGKILL"
            case SIGINT: "SIGINT"
            case SIGSEGV: "SIGSEGV"
            case SIGABRT: "SIGABRT"
            case SIGPIPE: "SIGPIPE"
            case SIGBUS: "SIGBUS"
            default: nil
            }
        }
    }

    var processID: pid_t
    var termination: Termination
    var ending: Ending
    var standardOutput: CapturedOutput
    /// Empty when standard error was merged into standard output.
    var standardError: CapturedOutput

    /// Whether the program finished by itself with status 0.
    var succeeded: Bool { ending == .finished && termination == .exited(0) }
}
