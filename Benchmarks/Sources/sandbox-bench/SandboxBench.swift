import AgentSchedulerCore
import AgentSchedulerRuntime
import Foundation

/// What containment costs (issue 9): `execute` in bubblewrap beside the same tool unconfined
/// (`/bin/sh -c`), and a session repository (`git clone --shared` plus a sandboxed checkout)
/// beside `git worktree add`, on a generated repository of `--files` files.
///
/// `swift run -c release sandbox-bench [--runs 50] [--files 1000]`
@main
struct SandboxBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let runs = option("--runs", 50)
        let files = option("--files", 1000)
        guard case .success(let bubblewrap) = await Bubblewrap.probe() else {
            print("bubblewrap is unavailable here; install it to measure the sandbox")
            return
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: base) }
        let source = base.appendingPathComponent("source")
        try await makeRepository(at: source, files: files)

        print("execute `true`, \(runs) runs each (median, p90):")
        let folder = base.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (label, containment) in [
            ("/bin/sh -c (unconfined)", Containment.none),
            ("bubblewrap", .sandbox(bubblewrap, network: .loopback, hidden: [])),
        ] {
            let context = ToolContext(worktree: LazyWorktree(directory: folder, containment: containment))
            let times = try await measure(runs) {
                let result = await Toolbox(tools: .all, permission: .write).call(
                    ToolCall(id: "1", name: "execute", arguments: #"{"command":"true"}"#), in: context)
                guard !result.isError else { throw BenchError(result.output) }
            }
            report(label, times)
        }

        print("session repository on a \(files)-file repository, \(runs) runs each (median, p90):")
        var worktrees = 0
        report(
            "git worktree add + remove",
            try await measure(runs) {
                worktrees += 1
                let path = base.appendingPathComponent("wt-\(worktrees)").path
                try await Git(directory: source.path).run(["worktree", "add", "--quiet", "-b", "wt-\(worktrees)", path])
                try await Git(directory: source.path).run(["worktree", "remove", "--force", path])
            })
        var clones = 0
        report(
            "clone --shared + sandboxed checkout + remove",
            try await measure(runs) {
                clones += 1
                let repository = try await SessionRepository.create(
                    source: source, baseRef: nil, branch: "s-\(clones)",
                    at: base.appendingPathComponent("clone-\(clones)"),
                    containment: .sandbox(bubblewrap, network: .loopback, hidden: []))
                try await repository.remove()
            })
    }

    static func measure(_ runs: Int, _ body: () async throws -> Void) async throws -> [Duration] {
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<runs {
            let start = clock.now
            try await body()
            times.append(clock.now - start)
        }
        return times.sorted()
    }

    static func report(_ label: String, _ times: [Duration]) {
        func ms(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%.1f ms", value)
        }
        let median = times[times.count / 2]
        let p90 = times[min(times.count - 1, times.count * 9 / 10)]
        print("  \(label.padding(toLength: 46, withPad: " ", startingAt: 0)) \(ms(median))  \(ms(p90))")
    }

    static func makeRepository(at path: URL, files: Int) async throws {
        for index in 0..<files {
            let file = path.appendingPathComponent("src/module-\(index % 40)/file-\(index).txt")
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(String(repeating: "line \(index)\n", count: 40).utf8).write(to: file)
        }
        let git = Git(directory: path.path)
        try await git.run(["init", "--quiet", "--initial-branch=main"])
        try await git.run(["add", "--all"])
        try await git.run(["-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "--quiet", "-m", "files"])
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
