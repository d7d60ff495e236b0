import AgentSchedulerCore

/// Why the demo workspace could not be built: what went wrong, and how to fix it.
public enum DemoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The examples folder lacks something the demo is built from (`agents/`, `policies/`,
    /// `examples/demo/…`).
    case missingExamples(folder: String, missing: String)
    /// The folder to build in exists and holds files.
    case folderNotEmpty(String)
    /// Copying or writing a file failed.
    case fileSystem(path: String, reason: String)
    /// A command (git) failed or could not start.
    case commandFailed(command: String, status: String, output: String)
    /// The workspace built from the examples does not load cleanly.
    case invalidWorkspace([String])
    /// The examples no longer fit the demo's plan (a routing, a role, a budget or a policy changed).
    case planFailed(String)

    public var description: String {
        switch self {
        case .missingExamples(let folder, let missing):
            "\(missing) not found under \(folder); --workspace must name a folder that holds agents/, "
                + "policies/ and examples/demo/ (leave it out to use the demo built into agentsched)"
        case .folderNotEmpty(let path):
            "\(path) is not empty; the demo builds its workspace in a new or empty folder"
        case .fileSystem(let path, let reason):
            "cannot write \(path): \(reason)"
        case .commandFailed(let command, let status, let output):
            "`\(command)` failed (\(status))" + (output.isEmpty ? "" : ": \(output)")
                + "; the demo needs git on PATH"
        case .invalidWorkspace(let problems):
            "the demo workspace does not load cleanly; fix the examples it is built from:\n"
                + problems.joined(separator: "\n")
        case .planFailed(let reason):
            "the examples no longer fit the demo: \(reason); update examples/demo/issues.yaml or "
                + "Sources/AgentScheduler/Demo to match"
        }
    }
}
