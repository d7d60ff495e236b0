import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a helper program for a test (git, `sh test.sh`, gzip) to its end, off Swift's
/// cooperative thread pool, started as a `SpawnedProgram`.
///
/// The program runs on a thread of its own, which reads its output and waits for it: a test that
/// waited on a cooperative thread would starve every fake server and client in the same test
/// process, which run on that pool (two threads on a two-core machine). git runs without the
/// user's or the system's configuration, with a fixed identity.
public enum TestProcess {
    /// How a program ended and what it printed.
    public struct Outcome: Sendable {
        public var status: Int32
        /// Standard output's bytes, with standard error interleaved when asked for.
        public var outputData: Data
        /// Standard error's bytes, unless interleaved into the output.
        public var errorData: Data

        /// Standard output as text, with standard error interleaved when asked for.
        public var output: String { String(decoding: outputData, as: UTF8.self) }
        /// Standard error as text, unless interleaved into the output.
        public var errors: String { String(decoding: errorData, as: UTF8.self) }
    }

    /// A program failed where the test needed it to succeed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The environment programs get unless told otherwise: `PATH`, a `HOME` of `directory`, no
    /// git configuration from outside, the C locale.
    public static func isolatedEnvironment(home directory: URL) -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_TERMINAL_PROMPT": "0", "LANG": "C",
        ]
    }

    /// Runs `arguments` (the program is looked up on `PATH`) in `directory` with `input` on its
    /// standard input; `environment` defaults to ``isolatedEnvironment(home:)``.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String]? = nil, input: Data = Data(),
        mergingErrors: Bool = false
    ) async throws -> Outcome {
        let environment = environment ?? isolatedEnvironment(home: directory)
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try blockingRun(
                            arguments, in: directory, environment: environment, input: input,
                            mergingErrors: mergingErrors)
                    })
            }
        }
    }

    /// Runs `git ARGUMENTS` in `directory` with a fixed identity and no outside configuration;
    /// its standard output, or a thrown ``Failure`` with its standard error.
    @discardableResult
    public static func git(_ arguments: [String], in directory: URL) async throws -> String {
        let command =
            ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
            + arguments
        let result = try await run(command, in: directory)
        guard result.status == 0 else {
            throw Failure(description: "git \(arguments.joined(separator: " ")): \(result.errors)")
        }
        return result.output
    }

    /// Everything `handle` yields until end of file. A read interrupted by a signal is tried again
    /// (Foundation's `readDataToEndOfFile()` traps on `EINTR`).
    public static func readAll(_ handle: FileHandle) -> Data {
        var data = Data()
        while let chunk = readSome(handle), !chunk.isEmpty { data += chunk }
        return data
    }

    /// The next bytes `handle` yields: empty at end of file, `nil` on an error other than `EINTR`.
    public static func readSome(_ handle: FileHandle) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(handle.fileDescriptor, &buffer, buffer.count)
            if count >= 0 { return Data(buffer[0..<count]) }
            if errno != EINTR { return nil }
        }
    }

    private static func blockingRun(
        _ arguments: [String], in directory: URL, environment: [String: String], input: Data, mergingErrors: Bool
    ) throws -> Outcome {
        let program = try SpawnedProgram(
            executable: "/usr/bin/env", arguments: arguments, directory: directory, environment: environment,
            standardInput: .pipe, standardOutput: .pipe, standardError: mergingErrors ? .output : .pipe)
        // The input is written and standard error read on threads of their own, so that no pipe
        // fills up and stalls the program.
        let writer = Thread {
            if let stdin = program.input {
                try? stdin.write(contentsOf: input)
                try? stdin.close()
            }
        }
        writer.start()
        let errors = ErrorsReader(program.errors)
        let output = program.output.map(readAll) ?? Data()
        let termination = program.waitForExit()
        return Outcome(status: termination.status, outputData: output, errorData: errors.wait())
    }

    /// Reads one pipe to its end on a thread of its own.
    private final class ErrorsReader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle?) {
            guard let handle else {
                done.signal()
                return
            }
            Thread.detachNewThread { [self] in
                data = TestProcess.readAll(handle)
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }
}
