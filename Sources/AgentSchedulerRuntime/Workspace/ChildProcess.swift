import Foundation

/// A program run as a child process in a process group of its own, with an explicit environment
/// and working folder, its output captured up to a limit.
///
/// The child is started with `posix_spawn` (never Foundation's `Process`) and
/// `POSIX_SPAWN_SETPGROUP`, so that the whole group — the program and everything it starts — can
/// be ended together. When the program exits, when `timeout` passes, or when the calling task is
/// cancelled, the group gets `SIGTERM`, then `SIGKILL` after `killGracePeriod`: nothing the program
/// started outlives `run()`. Standard input is `/dev/null` unless `takesStandardInput`. `run()` waits on a thread of its own,
/// never blocking Swift's cooperative pool; the
/// same thread starts it, so a child tied to its parent thread's life lives as long as `run()`.
struct ChildProcess: Sendable {
    /// The program: an absolute path, or a name looked up on this process's `PATH`.
    var executable: String
    var arguments: [String]
    /// The child's whole environment; nothing of this process's environment is passed on.
    var environment: [String: String]
    /// The child's working folder.
    var directory: String
    /// Send standard error into the standard output pipe (interleaved as written).
    var mergesStandardError = false
    /// Give the child a pipe for standard input (`SpawnedChild.inputDescriptor`) instead of
    /// `/dev/null`: for programs that are spoken to, like a stdio MCP server.
    var takesStandardInput = false
    /// Write standard output to this file (created or truncated) instead of capturing it.
    var standardOutputFile: String?
    /// The bytes kept of each output stream: the first `head` and the last `tail`.
    var outputLimit = OutputLimit(head: 64 * 1024 * 1024, tail: 0)
    /// How long the program may run; `nil` for no limit.
    var timeout: Duration?
    /// How long the group has between `SIGTERM` and `SIGKILL`.
    var killGracePeriod: Duration = .seconds(2)

    /// How much of an output stream is kept: its first `head` bytes and its last `tail` bytes.
    struct OutputLimit: Sendable, Hashable {
        var head: Int
        var tail: Int
    }

    /// Runs the program to its end, or until the timeout or the task's cancellation ends it.
    ///
    /// Fails only when the program cannot be started; an exit status other than zero, a signal, a
    /// timeout and a cancellation are all outcomes.
    func run() async -> Result<ChildProcessOutcome, ChildProcessError> {
        if Task.isCancelled { return .failure(.cancelledBeforeStart(executable)) }
        let stop = StopRequest()
        return await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<ChildProcessOutcome, ChildProcessError>, Never>) in
                // Spawned from the thread that watches it: a child that asks to die with its parent
                // (bubblewrap's `--die-with-parent`) dies when the spawning thread ends, and this one
                // lives exactly as long as the child.
                Thread.detachNewThread {
                    switch spawn() {
                    case .success(let child): continuation.resume(returning: .success(watch(child, stop: stop)))
                    case .failure(let error): continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            stop.request()
        }
    }
}
