import Foundation

/// Runs the built `agentsched` binary and captures what it printed and how it exited.
struct AgentschedProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary did not do what a test waited for.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The binary SwiftPM built beside this test bundle.
    static let executable: URL = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("agentsched"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agentsched"),
            packageRoot.appendingPathComponent(".build/debug/agentsched"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The package's root folder, where the example team and policies live.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `agentsched ARGUMENTS` in `directory` to its end. Output goes through files, so large
    /// output cannot block it, and the wait polls, so no thread of the test process blocks (fake
    /// model servers in this process must go on answering).
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) async throws -> Result {
        try await BackgroundAgentsched.run(arguments, in: directory, environment: environment)
    }
}
