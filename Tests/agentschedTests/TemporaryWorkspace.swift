import Foundation

/// A copy of the example workspace (agents/, policies/) in a fresh temporary folder.
struct TemporaryWorkspace: ~Copyable {
    let url: URL

    /// Copies the package's example team and policies unless `empty`.
    init(empty: Bool = false) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard !empty else { return }
        for folder in ["agents", "policies"] {
            try FileManager.default.copyItem(
                at: AgentschedProcess.packageRoot.appendingPathComponent(folder), to: url.appendingPathComponent(folder)
            )
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    var path: String { url.path }

    /// Writes `text` to `relative`, creating folders on the way.
    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relative))
    }

    /// Runs `agentsched ARGUMENTS` inside the workspace.
    func run(_ arguments: String...) async throws -> AgentschedProcess.Result {
        try await AgentschedProcess.run(arguments, in: url)
    }
}
