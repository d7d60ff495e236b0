import ArgumentParser

/// Refused or failed work, as one line on standard error and an exit code.
///
/// Commands throw it; `AgentSchedCommand.main()` alone prints it (`error: MESSAGE`, redacted and
/// with control characters made visible) and exits with `exitCode`.
struct CommandError: Error {
    var message: String
    var exitCode: ExitCode

    /// `message` is one line without the `error: ` prefix; `exitCode` defaults to 1 (the work failed).
    init(_ message: String, exitCode: ExitCode = .workFailed) {
        self.message = message
        self.exitCode = exitCode
    }
}
