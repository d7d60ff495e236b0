import Foundation

/// One `agentsched` process: wall time, exit status, peak resident memory, output.
///
/// Spawned with `posix_spawn` and reaped with `wait4`, which reports the child's peak resident set
/// (Foundation's `Process` reaps its children itself, so their usage would be lost).
struct Child {
    var seconds: Double
    var status: Int32
    var peakMiB: Int
    /// User and system CPU seconds.
    var cpuSeconds: Double
    var output: String

    static func run(_ binary: URL, _ arguments: [String], in folder: URL) async throws -> Child {
        let output = folder.appendingPathComponent(".out-\(UUID().uuidString.prefix(6))").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // `sh` changes folder and replaces itself with agentsched: one process, one pid to reap.
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", folder.path, binary.path] + arguments
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["BENCH_KEY"] = "bench"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var usage = rusage()
        var status: Int32 = 0
        // Polling, so that no thread of the fake server in this process blocks.
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - started
        return Child(
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            status: (status >> 8) & 0xff, peakMiB: Int(usage.ru_maxrss) / 1024,
            cpuSeconds: Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
            output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}
