import AgentSchedulerTesting
import Foundation

/// An `agentsched` process started in the background: the test can signal it, and waits for it
/// without blocking a thread (the fake model server answers from this same process).
final class BackgroundAgentsched: Sendable {
    let program: SpawnedProgram
    private let outputs: URL

    /// Starts `executable` (the built agentsched unless given) with `arguments` in `directory`.
    init(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        executable: URL = AgentschedProcess.executable
    ) throws {
        outputs = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: outputs.appendingPathComponent(name).path, contents: nil)
        }
        program = try SpawnedProgram(
            executable: executable.path, arguments: arguments, directory: directory,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardOutput: .file(outputs.appendingPathComponent("stdout")),
            standardError: .file(outputs.appendingPathComponent("stderr")))
    }

    deinit {
        if program.termination == nil {
            program.signal(SIGKILL)
            _ = program.waitForExit()
        }
        try? FileManager.default.removeItem(at: outputs)
    }

    func signal(_ signal: Int32) {
        program.signal(signal)
    }

    /// What it has printed to standard output so far.
    var outputSoFar: String {
        (try? String(contentsOf: outputs.appendingPathComponent("stdout"), encoding: .utf8)) ?? ""
    }

    /// Waits until its standard output has a line starting with `prefix`, and returns that line;
    /// throws when the process ends first or `timeout` passes.
    func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = outputSoFar.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if program.termination != nil {
                let result = try await wait()
                throw AgentschedProcess.Failure(
                    description: "agentsched ended before printing '\(prefix)': \(result.stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AgentschedProcess.Failure(
            description: "agentsched printed no line starting with '\(prefix)' in \(timeout)")
    }

    /// Waits for the process to end (polling, so no thread blocks), then returns what it printed.
    func wait() async throws -> AgentschedProcess.Result {
        var termination = program.termination
        while termination == nil {
            try await Task.sleep(for: .milliseconds(20))
            termination = program.termination
        }
        return AgentschedProcess.Result(
            status: termination!.status,
            stdout: try String(contentsOf: outputs.appendingPathComponent("stdout"), encoding: .utf8),
            stderr: try String(contentsOf: outputs.appendingPathComponent("stderr"), encoding: .utf8))
    }

    /// Runs `agentsched ARGUMENTS` to the end without blocking a thread.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        executable: URL = AgentschedProcess.executable
    ) async throws -> AgentschedProcess.Result {
        try await BackgroundAgentsched(arguments, in: directory, environment: environment, executable: executable)
            .wait()
    }
}
