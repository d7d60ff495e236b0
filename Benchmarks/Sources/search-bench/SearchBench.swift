import AgentSchedulerCore
import AgentSchedulerRuntime
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Times `search` over a generated tree: ripgrep and grep as the runtime runs them (child
/// processes), beside the in-process ICU search the runtime used before (its loop, reproduced
/// here as `LegacySearch`).
///
/// `search-bench [--files 10000] [--runs 5]`: prints the median and the fastest wall time of each.
@main
struct SearchBench {
    static func main() async throws {
        func option(_ name: String, _ value: Int) -> Int {
            let arguments = CommandLine.arguments
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
            return Int(arguments[index + 1]) ?? value
        }
        let files = option("--files", 10_000)
        let runs = option("--runs", 5)
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("search-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeTree(at: root, files: files)
        print("tree: \(files) files, \(root.path)")

        let context = ToolContext(worktree: LazyWorktree(directory: root))
        let patterns = ["needle_[0-9]+", "func [a-z]+Handler\\("]
        for pattern in patterns {
            let arguments = try JSONValue(
                parsing: #"{"pattern": "\#(pattern.replacingOccurrences(of: "\\", with: "\\\\"))"}"#)
            for (name, engines) in [("ripgrep", [SearchEngine.ripgrep]), ("grep -E", [SearchEngine.grep])] {
                let tool = SearchTool(engines: engines)
                let (times, output) = try await time(runs) { await tool.run(arguments, in: context).output }
                report(name, pattern, times, output)
            }
            let path = root.path
            let (legacy, output) = try await time(runs) {
                try LegacySearch.run(pattern: pattern, root: path, maxMatches: 200)
            }
            report("ICU in-process (before)", pattern, legacy, output)
        }
    }

    static func report(_ name: String, _ pattern: String, _ times: [Duration], _ output: String) {
        let sorted = times.sorted()
        let lines = output.split(separator: "\n").count
        print(
            "\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) /\(pattern)/  median \(milliseconds(sorted[sorted.count / 2]))  "
                + "min \(milliseconds(sorted[0]))  (\(lines) output lines)")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.1f ms", value)
    }

    /// The wall time of each of `runs` calls of `body`, and the last call's output.
    static func time(
        _ runs: Int, _ body: @Sendable () async throws -> String
    ) async throws -> ([Duration], String) {
        let clock = ContinuousClock()
        var times: [Duration] = []
        var output = ""
        for _ in 0..<runs {
            let start = clock.now
            output = try await body()
            times.append(clock.now - start)
        }
        return (times, output)
    }

    /// `files` source-like files of about 40 lines, 100 to a folder, a few holding `needle_N`.
    static func makeTree(at root: URL, files: Int) throws {
        for index in 0..<files {
            let folder = root.appendingPathComponent("module\(index / 100)/sub\(index % 7)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var text = "import Foundation\n\n/// File \(index).\nstruct Type\(index) {\n"
            for line in 0..<36 {
                text += "    func item\(line)Handler(_ value: Int) -> Int { value * \(line) + \(index) }\n"
            }
            if index % 97 == 0 { text += "    // needle_\(index)\n" }
            text += "}\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("File\(index).swift"))
        }
    }
}
