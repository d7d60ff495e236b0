import AgentSchedulerCore
import AgentSchedulerRuntime
import AgentSchedulerTesting
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a stdio MCP server costs a session, against the real peer: the official Python SDK's
/// server in `Tests/Fixtures/mcp/fixture_server.py`.
///
///     mcp-bench [--runs 10] [--calls 200] [--sessions 100] [--start-timeout 30] [--raw-only]
///
/// 1. `MCPToolset.start(in:)` then `close()`, beside the floor: the same Python and script spawned
///    raw, one `initialize` line written on its standard input and its answer read (the
///    interpreter's and the SDK's start-up, nothing of agentsched).
/// 2. One `tools/call` of `fixture__echo` through `MCPToolset.call` and through `Toolbox.run`,
///    beside the same request written raw to a raw server, and beside a built-in `read` of a small
///    file through `Toolbox.run`.
/// 3. `--sessions` toolsets started at once, each holding one server: this process's resident set
///    and its children's (RSS, and PSS, which shares the interpreter's pages out fairly), beside as
///    many raw servers, each answered one `initialize`; then everything is closed and the children
///    left over are counted.
@main
@MainActor
struct MCPBench {
    static let initializeLine =
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcp-bench","version":"1"}}}"#

    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let runs = option("--runs", 10)
        let calls = option("--calls", 200)
        let sessions = option("--sessions", 100)
        let startTimeout = option("--start-timeout", 30)
        // Only the raw floors and the built-in read, without MCPToolset (for when it fails).
        let rawOnly = arguments.contains("--raw-only")
        guard let python = MCPPeer.python else {
            print(
                "the official MCP SDK is not installed (python3 -m venv .build/mcp-python && .build/mcp-python/bin/pip install mcp, or set AGENTSCHED_MCP_PYTHON)"
            )
            return
        }
        let script = MCPPeer.fixtureScript
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(String(repeating: "a line of a small file\n", count: 40).utf8)
            .write(to: folder.appendingPathComponent("small.txt"))

        var configuration = MCPToolset.Configuration(
            servers: [
                MCPServerDeclaration(
                    name: "fixture", transport: .stdio(command: python, arguments: [script, "stdio"], environment: [:]))
            ],
            allowed: .all, permission: .write, environment: ProcessInfo.processInfo.environment, executable: "")
        configuration.startTimeout = .seconds(startTimeout)
        // The environment the launcher gives a stdio server, for the raw servers too.
        let rawEnvironment = ExecuteTool.environment(root: folder.path, extra: [:])
        func raw() throws -> RawServer {
            try RawServer(python: python, script: script, directory: folder, environment: rawEnvironment)
        }

        print("peer: \(python) \(script) stdio; \(ProcessInfo.processInfo.activeProcessorCount) cores")

        // 1. Start and list per session.
        print("")
        print("start per session, \(runs) runs each (median, best):")
        let rawStart = try await measure(runs) {
            let server = try raw()
            _ = try server.request(initializeLine)
            server.close()
        }
        report("raw spawn + initialize answer (floor)", rawStart)
        var emptyReports = 0
        var toolsetStart: [Duration] = []
        for run in 0...runs where !rawOnly {
            let toolset = MCPToolset(configuration)
            let started = ContinuousClock.now
            let reports = await toolset.start(in: folder.path)
            let startTime = ContinuousClock.now - started
            // Checked outside the timing: the server runs (a child of this process).
            guard !Memory.children().isEmpty else { throw BenchError("start: no server running; \(reports)") }
            if reports.first?.state != .running { emptyReports += 1 }
            let closing = ContinuousClock.now
            await toolset.close()
            if run > 0 { toolsetStart.append(startTime + (ContinuousClock.now - closing)) }  // run 0 warms up
        }
        toolsetStart.sort()
        if !rawOnly {
            report("MCPToolset.start + close", toolsetStart)
            print("  agentsched over the floor: \(ms(median(toolsetStart) - median(rawStart))) median")
        }
        if emptyReports > 0 {
            print(
                "  NOTE: start(in:) returned no running report in \(emptyReports)/\(runs + 1) runs although its server ran"
                    + " and answered (see tool(named:) below)")
        }

        // 2. One call.
        print("")
        print("one call, \(calls) calls each after 20 warm-up calls (median, best):")
        let echo = #"{"text":"hello"}"#
        do {
            let server = try raw()
            _ = try server.request(initializeLine)
            try server.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            var id = 1
            let rawCall = try await measure(calls, warmUp: 20) {
                id += 1
                let answer = try server.request(
                    #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"echo","arguments":\#(echo)}}"#
                )
                guard answer.contains("hello") else { throw BenchError("raw call: \(answer)") }
            }
            server.close()
            report("raw tools/call line (floor)", rawCall)
            let context = ToolContext(worktree: LazyWorktree(directory: folder))
            let builtin = Toolbox(tools: .all, permission: .write, context: context)
            let read = try await measure(calls, warmUp: 20) {
                let result = await builtin.run(ToolCall(id: "1", name: "read", arguments: #"{"path":"small.txt"}"#))
                guard !result.isError else { throw BenchError("read: \(result.output)") }
            }
            report("Toolbox.run read (built-in, 40 lines)", read)
            if !rawOnly {

                let toolset = MCPToolset(configuration)
                await toolset.start(in: folder.path)
                let listedTool = await toolset.tool(named: "fixture__echo")
                if listedTool == nil {
                    print(
                        "  NOTE: tool(named: \"fixture__echo\") is nil after start; calling an MCPTool made by hand instead"
                    )
                }
                let tool =
                    listedTool
                    ?? MCPTool(
                        server: "fixture", name: "echo", modelName: "fixture__echo", description: "",
                        inputSchema: .object([]), readOnly: true)
                let values = try JSONValue(parsing: echo)
                let toolsetCall = try await measure(calls, warmUp: 20) {
                    let result = await toolset.call(tool, arguments: values, outputLimit: 65536)
                    guard !result.isError, result.output == "hello" else { throw BenchError("call: \(result.output)") }
                }
                report("MCPToolset.call fixture__echo", toolsetCall)
                if listedTool != nil {
                    let toolbox = Toolbox(tools: .all, permission: .write, context: context, mcp: toolset)
                    let toolboxCall = try await measure(calls, warmUp: 20) {
                        let result = await toolbox.run(ToolCall(id: "1", name: "fixture__echo", arguments: echo))
                        guard !result.isError else { throw BenchError("toolbox call: \(result.output)") }
                    }
                    report("Toolbox.run fixture__echo", toolboxCall)
                } else {
                    print("  Toolbox.run fixture__echo: skipped, the toolset offers no tools (see NOTE)")
                }
                await toolset.close()
                print("  agentsched over the floor: \(ms(median(toolsetCall) - median(rawCall))) median")
            }
        }

        // 3. Memory with many sessions.
        print("")
        print("memory with \(sessions) servers at once:")
        let idle = Memory.own()
        print(
            "  this process before: RSS \(mib(idle.rss)), \(idle.threads) threads; children: \(Memory.children().count)"
        )
        do {
            let started = ContinuousClock.now
            var servers: [RawServer] = []
            for _ in 0..<sessions { servers.append(try raw()) }
            for server in servers { try server.send(initializeLine) }
            for server in servers { _ = try server.readLine() }
            let elapsed = ContinuousClock.now - started
            let own = Memory.own()
            let children = Memory.children()
            print("  raw: \(sessions) bare servers, each answered initialize, in \(ms(elapsed)) (wall)")
            reportMemory(own: own, idle: idle, children: children, count: sessions)
            for server in servers { server.close() }
            print("  after close: \(Memory.children().count) children left")
        }
        if !rawOnly {
            let before = Memory.own()
            let started = ContinuousClock.now
            let toolsets = (0..<sessions).map { _ in MCPToolset(configuration) }
            let states = await withTaskGroup(of: Bool.self) { group in
                for toolset in toolsets {
                    group.addTask { await toolset.start(in: folder.path).first?.state == .running }
                }
                var running = 0
                for await ok in group where ok { running += 1 }
                return running
            }
            let elapsed = ContinuousClock.now - started
            let own = Memory.own()
            let children = Memory.children()
            print(
                "  MCPToolset: \(sessions) started at once in a task group, \(children.count) servers running (\(states) reported running), in \(ms(elapsed)) (wall; start timeout \(startTimeout) s)"
            )
            reportMemory(own: own, idle: before, children: children, count: sessions)
            let closing = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for toolset in toolsets { group.addTask { await toolset.close() } }
            }
            print("  closed all in \(ms(ContinuousClock.now - closing)); \(Memory.children().count) children left")
            try await Task.sleep(for: .milliseconds(500))
            let after = Memory.own()
            print(
                "  500 ms later: \(Memory.children().count) children left; this process RSS \(mib(after.rss)), \(after.threads) threads"
            )
        }
    }

    static func reportMemory(own: Memory.Own, idle: Memory.Own, children: [Memory.Child], count: Int) {
        let rss = children.reduce(0) { $0 + $1.rss }
        let pss = children.reduce(0) { $0 + $1.pss }
        let n = max(children.count, 1)
        print(
            "    this process: RSS \(mib(own.rss)) (+\(mib(own.rss - idle.rss)), +\(kib((own.rss - idle.rss) / max(count, 1))) a server), \(own.threads) threads (+\(own.threads - idle.threads))"
        )
        print(
            "    children: \(children.count); RSS sum \(mib(rss)) (\(mib(rss / n)) each), PSS sum \(mib(pss)) (\(mib(pss / n)) each)"
        )
    }

    static func measure(_ runs: Int, warmUp: Int = 1, _ body: () async throws -> Void) async throws -> [Duration] {
        let clock = ContinuousClock()
        for _ in 0..<warmUp { try await body() }
        var times: [Duration] = []
        for _ in 0..<runs {
            let start = clock.now
            try await body()
            times.append(clock.now - start)
        }
        return times.sorted()
    }

    static func median(_ times: [Duration]) -> Duration { times[times.count / 2] }

    static func report(_ label: String, _ times: [Duration]) {
        print("  \(label.padding(toLength: 42, withPad: " ", startingAt: 0)) \(ms(median(times)))  \(ms(times[0]))")
    }

    static func ms(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return value < 10 ? String(format: "%.3f ms", value) : String(format: "%.1f ms", value)
    }

    static func mib(_ kilobytes: Int) -> String { String(format: "%.1f MiB", Double(kilobytes) / 1024) }
    static func kib(_ kilobytes: Int) -> String { "\(kilobytes) KiB" }
}

/// The fixture server spawned raw: a pipe each way, lines read with blocking `read`.
final class RawServer {
    let program: SpawnedProgram
    private var buffer: [UInt8] = []

    init(python: String, script: String, directory: URL, environment: [String: String]) throws {
        program = try SpawnedProgram(
            executable: python, arguments: [script, "stdio"], directory: directory, environment: environment,
            standardInput: .pipe, standardOutput: .pipe, standardError: .null)
    }

    func send(_ line: String) throws {
        try program.input!.write(contentsOf: Data((line + "\n").utf8))
    }

    func request(_ line: String) throws -> String {
        try send(line)
        return try readLine()
    }

    func readLine() throws -> String {
        let descriptor = program.output!.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BenchError("the raw server closed its output") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Closes its input (the SDK's server exits on end of input) and reaps it.
    func close() {
        try? program.input!.close()
        _ = program.waitForExit()
    }
}

/// Resident memory from /proc, in KiB.
enum Memory {
    struct Own {
        var rss: Int
        var threads: Int
    }

    struct Child {
        var pid: Int32
        var rss: Int
        var pss: Int
    }

    static func own() -> Own {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return Own(rss: field("VmRSS:", in: status), threads: field("Threads:", in: status))
    }

    /// This process's children (parent in /proc/PID/stat is this process) that have not exited.
    static func children() -> [Child] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found: [Child] = []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state, ppid, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == me, fields[0] != "Z" else { continue }
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
            found.append(Child(pid: pid, rss: field("VmRSS:", in: status), pss: field("Pss:", in: rollup)))
        }
        return found
    }

    static func field(_ name: String, in text: String) -> Int {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }
}

/// Each line written at once, so that a pipe gets what was measured even if a later step fails.
func print(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
