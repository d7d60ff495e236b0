import Foundation

/// Runs git with an environment of its own: no system or user configuration, no hooks, no
/// prompts, no `GIT_DIR` or other variables inherited from this process.
///
/// The repository's own configuration still applies: on a repository an agent can write (a
/// session's), give a `sandbox`, so that whatever the agent planted there (`core.fsmonitor`, a
/// filter, a hook path) runs, at worst, where it can harm nothing.
public struct Git: Sendable {
    /// The folder git runs in (`git -C`).
    public var directory: String
    /// Variables added to git's own environment (a fixed author date, say).
    public var extraEnvironment: [String: String]
    /// Where git runs: in this sandbox, or, when `nil`, unconfined.
    public var sandbox: Sandbox?

    public init(directory: String, extraEnvironment: [String: String] = [:], sandbox: Sandbox? = nil) {
        self.directory = directory
        self.extraEnvironment = extraEnvironment
        self.sandbox = sandbox
    }

    /// Settings given to every command: hooks off (a hook is code from the repository, and
    /// agents can write into worktrees), no signing prompts.
    static let settings = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]

    /// A `HOME` with nothing in it, made once per process (and removed when it exits), so that no
    /// `~/.gitconfig` applies.
    static let emptyHome: String = {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-git-home-\(UUID())")
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        atexit { _ = rmdir(Git.emptyHome) }
        return home.path
    }()

    /// The environment every git command gets.
    static var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": emptyHome,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0",
            "LANG": "C",
            "LC_ALL": "C",
        ]
    }

    /// Runs `git ARGUMENTS` and returns its standard output; a status other than 0 is an error
    /// unless listed in `allowedStatuses`.
    ///
    /// With `outputFile`, standard output goes to that file instead (created or truncated).
    @discardableResult
    public func run(
        _ arguments: [String], allowedStatuses: Set<Int32> = [0], outputFile: String? = nil
    )
        async throws(WorktreeError) -> GitOutput
    {
        // `-C` changes folder, so that a missing folder is git's error, not a failure to start.
        var executable = "git"
        var fullArguments = ["-C", directory] + Self.settings + arguments
        var environment = Self.environment.merging(extraEnvironment) { $1 }
        if let sandbox {
            (executable, fullArguments) = sandbox.command(executable, fullArguments, in: sandbox.writable)
            environment["HOME"] = "/tmp"
        }
        var process = ChildProcess(
            executable: executable, arguments: fullArguments, environment: environment, directory: "/")
        process.standardOutputFile = outputFile
        let command = "git " + arguments.joined(separator: " ")
        switch await process.run() {
        case .failure(.cancelledBeforeStart):
            throw .cancelled(command: command)
        case .failure(let error):
            throw .gitUnavailable(error.description)
        case .success(let outcome):
            switch (outcome.ending, outcome.termination) {
            case (.cancelled, _):
                throw .cancelled(command: command)
            case (_, .exited(let status)) where allowedStatuses.contains(status):
                guard outcome.standardOutput.droppedBytes == 0 else {
                    throw .gitFailed(
                        command: command, status: "output over \(outcome.standardOutput.headLimit) bytes",
                        standardError: "")
                }
                return GitOutput(status: status, standardOutput: outcome.standardOutput.bytes)
            default:
                throw .gitFailed(
                    command: command, status: outcome.termination.description,
                    standardError: outcome.standardError.text)
            }
        }
    }
}
