import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// A temporary folder for tool tests: `root` is the worktree, `outside` a sibling folder that
/// attacks aim at (holding `secret.txt`, whose content is `classified-data`). Removed when the sandbox goes away.
final class ToolSandbox: Sendable {
    let base: URL
    let root: URL
    let outside: URL

    init() throws {
        let temporary = URL(fileURLWithPath: Self.realPath(FileManager.default.temporaryDirectory.path))
        base = temporary.appendingPathComponent("agentsched-tools-\(UUID().uuidString)")
        root = base.appendingPathComponent("root")
        outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try write("outside/secret.txt", "classified-data\n", relativeToBase: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: base)
    }

    /// Writes a file under the root (or under the base), creating folders on the way.
    func write(_ path: String, _ content: String, relativeToBase: Bool = false) throws {
        let url = (relativeToBase ? base : root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    func write(_ path: String, bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(path), withIntermediateDirectories: true)
    }

    /// A symlink at `path` (under the root) whose target is `target`, as written.
    func link(_ path: String, to target: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    func read(_ path: String) -> String? {
        (try? Data(contentsOf: root.appendingPathComponent(path))).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    var outsideSecret: String? {
        (try? Data(contentsOf: outside.appendingPathComponent("secret.txt"))).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    func context(limits: ToolLimits = ToolLimits(), environment: [String: String] = [:]) -> ToolContext {
        ToolContext(worktree: LazyWorktree(directory: root), limits: limits, environment: environment)
    }

    /// Calls a tool through a toolbox holding every tool with write permission.
    func call(
        _ tool: String, _ arguments: String, limits: ToolLimits = ToolLimits(), environment: [String: String] = [:]
    ) async -> ToolResult {
        await call(tool, arguments, in: context(limits: limits, environment: environment))
    }

    func call(_ tool: String, _ arguments: String, in context: ToolContext) async -> ToolResult {
        await Toolbox(tools: .all, permission: .write).call(
            ToolCall(id: "call-1", name: tool, arguments: arguments), in: context)
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// JSON text for a tool call's arguments.
func toolArguments(_ values: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// Whether a process is alive: it exists and is not a zombie waiting to be reaped (in a container
/// whose init does not reap, orphans linger as zombies).
func processIsAlive(_ processID: pid_t) -> Bool {
    guard kill(processID, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return true }
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z" && state != "X"
}

/// The process ids a command printed as `NAME=PID` lines.
func printedProcessIDs(_ output: String) -> [String: pid_t] {
    var ids: [String: pid_t] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1)
        if parts.count == 2, let id = pid_t(parts[1]) { ids[String(parts[0])] = id }
    }
    return ids
}
