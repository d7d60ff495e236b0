import Foundation

/// Runs git for the demo's repository with a fixed identity and clock, and nothing from the
/// user's or system's git configuration, so that the same template gives the same commit.
struct DemoGit: Sendable {
    /// The folder git runs in.
    var directory: URL

    static let authorName = "Acme Developers"
    static let authorEmail = "developers@acme.example"
    /// The date of the template's commit (author and committer).
    static let date = "2026-01-05T09:00:00+00:00"

    /// Runs `git ARGUMENTS` and returns its standard output, trimmed; a non-zero exit throws
    /// `DemoError.commandFailed` with git's own message.
    @discardableResult
    func run(_ arguments: [String]) async throws(DemoError) -> String {
        let settings = [
            "-c", "user.name=\(Self.authorName)", "-c", "user.email=\(Self.authorEmail)",
            "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
        ]
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": directory.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_DATE": Self.date,
            "GIT_COMMITTER_DATE": Self.date,
            "LANG": "C",
            "LC_ALL": "C",
        ]
        let command = "git " + arguments.joined(separator: " ")
        let directory = directory
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<String, DemoError>, Never>) in
            // Waiting on a thread of its own keeps Swift's cooperative pool free.
            Thread.detachNewThread {
                continuation.resume(
                    returning: Self.runBlocking(
                        ["git"] + settings + arguments, in: directory, environment: environment, command: command))
            }
        }
        return try result.get()
    }

    private static func runBlocking(
        _ arguments: [String], in directory: URL, environment: [String: String], command: String
    ) -> Result<String, DemoError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(.commandFailed(command: command, status: "could not start", output: "\(error)"))
        }
        // Standard error is read on another thread, so that neither pipe can fill and stall git.
        let errorText = ErrorText()
        let reader = Thread {
            errorText.set(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            errorText.done.signal()
        }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        errorText.done.wait()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            return .failure(
                .commandFailed(
                    command: command, status: "exit \(process.terminationStatus)",
                    output: errorText.get().trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return .success(text)
    }

    /// Standard error as the reader thread collects it.
    private final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        let done = DispatchSemaphore(value: 0)

        func set(_ value: String) { lock.withLock { text = value } }
        func get() -> String { lock.withLock { text } }
    }
}
