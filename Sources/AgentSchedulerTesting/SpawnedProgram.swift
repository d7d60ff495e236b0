import AgentSchedulerCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program a test started with `posix_spawn`, and what became of it.
///
/// Tests start programs this way, not with Foundation's `Process`: on Linux its `run()` scans
/// `/proc/self/fd` with a `readdir` copy that reads past glibc's buffer, and crashes the test
/// process when it holds many descriptors (swift-corelibs-foundation #5472, in Swift 6.3.1). The
/// pipes it makes are close-on-exec, and the child gets descriptors 0, 1 and 2 only.
public final class SpawnedProgram: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// A pipe; the test holds the other end (`input`, `output`, `errors`).
        case pipe
        /// A file, created or truncated.
        case file(URL)
        /// `/dev/null`.
        case null
        /// Standard error only: wherever standard output goes.
        case output
    }

    /// How the program ended.
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or the signal's number, as `Process.terminationStatus` gives them.
        public var status: Int32 {
            switch self {
            case .exited(let status), .signalled(let status): status
            }
        }
    }

    public let processIdentifier: pid_t
    /// The write end of standard input, when it is a pipe.
    public let input: FileHandle?
    /// The read end of standard output, when it is a pipe.
    public let output: FileHandle?
    /// The read end of standard error, when it is a pipe.
    public let errors: FileHandle?
    private let ended = Mutex<Termination?>(nil)

    /// Starts `executable` (a path) with `arguments` in `directory` and exactly `environment`.
    public init(
        executable: String, arguments: [String], directory: URL? = nil, environment: [String: String],
        standardInput: Stream = .null, standardOutput: Stream = .pipe, standardError: Stream = .pipe
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32: Int32] = [:]
        var childEnds: [Int32] = []
        defer { for descriptor in childEnds { close(descriptor) } }
        func route(_ stream: Stream, to target: Int32, forReading: Bool) throws {
            switch stream {
            case .pipe:
                var descriptors: [Int32] = [-1, -1]
                guard let pipe2 = LibC.pipe2, pipe2(&descriptors, O_CLOEXEC) == 0 else {
                    throw Self.failure("pipe2", errno)
                }
                let (childEnd, parentEnd) =
                    forReading ? (descriptors[0], descriptors[1]) : (descriptors[1], descriptors[0])
                parentEnds[target] = parentEnd
                childEnds.append(childEnd)
                posix_spawn_file_actions_adddup2(&actions, childEnd, target)
            case .file(let url):
                posix_spawn_file_actions_addopen(&actions, target, url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", forReading ? O_RDONLY : O_WRONLY, 0)
            case .output:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
            }
        }
        try route(standardInput, to: 0, forReading: true)
        try route(standardOutput, to: 1, forReading: false)
        try route(standardError, to: 2, forReading: false)
        if let directory {
            guard let changeDirectory = LibC.addChangeDirectory else {
                throw Self.failure("posix_spawn_file_actions_addchdir_np", ENOSYS)
            }
            _ = changeDirectory(&actions, directory.path)
        }
        if let closeFrom = LibC.addCloseFrom { _ = closeFrom(&actions, 3) }
        var processID = pid_t()
        let status = LibC.withSpawnVectors(arguments: [executable] + arguments, environment: environment) {
            argv, envp in posix_spawn(&processID, executable, &actions, nil, argv, envp)
        }
        guard status == 0 else {
            for descriptor in parentEnds.values { close(descriptor) }
            throw Self.failure("posix_spawn \(executable)", status)
        }
        processIdentifier = processID
        input = parentEnds[0].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        output = parentEnds[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        errors = parentEnds[2].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// Sends `signal` to the program, unless it has been waited for already.
    public func signal(_ signal: Int32) {
        ended.withLock { termination in
            if termination == nil { kill(processIdentifier, signal) }
        }
    }

    /// How the program ended, once it has; `nil` while it runs (never blocks).
    public var termination: Termination? {
        ended.withLock { termination in
            if termination == nil { termination = Self.reap(processIdentifier, options: WNOHANG) }
            return termination
        }
    }

    /// Waits for the program to end, blocking the calling thread: call it off the cooperative pool.
    public func waitForExit() -> Termination {
        while true {
            if let termination { return termination }
            // Blocks in waitpid, outside the lock, so `signal` still works meanwhile.
            if let reaped = Self.reap(processIdentifier, options: 0) {
                return ended.withLock { termination in
                    if termination == nil { termination = reaped }
                    return termination!
                }
            }
        }
    }

    /// A `waitpid` of the child; `nil` while it runs (or when another call reaped it first).
    private static func reap(_ processID: pid_t, options: Int32) -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(processID, &status, options)
            if result == processID { break }
            if result == -1, errno == EINTR { continue }
            return nil
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }

    private static func failure(_ what: String, _ code: Int32) -> TestProcess.Failure {
        TestProcess.Failure(description: "\(what): \(String(cString: strerror(code)))")
    }
}
