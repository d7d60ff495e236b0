import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import AsyncHTTPClient
import Foundation
import NIOCore

// serve-bench: `agentsched serve` measured as its users meet it, against the built binary.
//
//   swift run -c release serve-bench --agentsched ../.build/release/agentsched \
//       [--sessions 500] [--rate 100] [--clients 1,100,500,1000] [--seconds 10]
//
// 1. The page's first load: the HTML of `/` and every asset it names, time and bytes.
// 2. Event latency from the ledger to a Server-Sent Events client: a writer appends events that
//    carry their wall-clock time; the client reads `/api/v1/events`. Beside it, the raw floor: a
//    loop reading the same ledger at serve's poll interval, in this process, without HTTP.
// 3. Fan-out: K clients on `/api/v1/events` while `--sessions` running sessions write `--rate`
//    events per second: serve's CPU and resident memory, and each client's latency.

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func option(_ name: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

/// Now on the wall clock, in nanoseconds: both ends of a latency are in this process.
func wallNanos() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}

/// Percentiles of samples in milliseconds.
func summary(_ nanos: [Int64]) -> String {
    guard !nanos.isEmpty else { return "no samples" }
    let sorted = nanos.sorted()
    func at(_ p: Double) -> String {
        String(format: "%.1f", Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6)
    }
    return "p50 \(at(0.5)) ms, p90 \(at(0.9)) ms, p99 \(at(0.99)) ms, max \(at(1)) ms (\(sorted.count) events)"
}

/// serve's CPU time (user + system) and resident memory, from /proc.
struct ProcessSample {
    var cpuSeconds: Double
    var rssKiB: Int

    init(pid: pid_t) {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        // After "pid (comm)": state is field 3, utime 14, stime 15 (1-based in proc(5)).
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let user = fields.count > 12 ? Double(fields[11]) ?? 0 : 0
        let system = fields.count > 12 ? Double(fields[12]) ?? 0 : 0
        cpuSeconds = (user + system) / ticks
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        rssKiB =
            status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    }
}

@main
struct ServeBench {
    static func main() async throws {
        let binary = URL(fileURLWithPath: option("--agentsched", "../.build/release/agentsched")).standardizedFileURL
            .path
        let sessions = Int(option("--sessions", "500")) ?? 500
        let rate = Int(option("--rate", "100")) ?? 100
        let seconds = Int(option("--seconds", "10")) ?? 10
        let clients = option("--clients", "1,100,500,1000").split(separator: ",").compactMap { Int($0) }
        let workspace = try makeWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let ledger = try SQLiteLedger(path: workspace.appendingPathComponent(".agentsched/ledger.sqlite").path)
        let ids = try await runningSessions(sessions, in: ledger)
        print("workspace \(workspace.path): \(ids.count) running sessions")

        let serve = try SpawnedProgram(
            executable: binary, arguments: ["serve", "--port", "0", "--workspace", workspace.path],
            directory: workspace, environment: ProcessInfo.processInfo.environment,
            standardOutput: .file(workspace.appendingPathComponent("serve.out")),
            standardError: .file(workspace.appendingPathComponent("serve.err")))
        defer {
            serve.signal(SIGTERM)
            _ = serve.waitForExit()
        }
        let base = try await waitForServe(workspace.appendingPathComponent("serve.out"))
        print("serve at \(base), pid \(serve.processIdentifier)")
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 10_000
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await pageLoad(base: base, http: http)
            try await latency(base: base, http: http, ledger: ledger, sessions: ids, rate: rate, seconds: seconds)
            for count in clients {
                try await fanOut(
                    base: base, http: http, ledger: ledger, sessions: ids, clients: count, rate: rate,
                    seconds: seconds, serve: serve.processIdentifier)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// A workspace of the package's example team and policies.
    static func makeWorkspace() throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".agentsched"), withIntermediateDirectories: true)
        for name in ["agents", "policies"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try "user: alice\n".write(
            to: folder.appendingPathComponent("agentsched.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// `count` sessions running on one registered worker.
    static func runningSessions(_ count: Int, in ledger: SQLiteLedger) async throws -> [Int64] {
        let now = Date()
        try await ledger.registerWorker(
            WorkerLease(id: "bench-worker", pid: getpid(), host: "bench", expiresAt: now.addingTimeInterval(3600)),
            at: now)
        var ids: [Int64] = []
        for index in 0..<count {
            let session = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/webapp", issue: 1000 + index, title: "Bench issue \(index)",
                    agent: "implementer", assigner: "alice", model: "claude-sonnet-4.5"), at: now)
            _ = try await ledger.claim(ClaimRequest(worker: "bench-worker", slots: 1, limits: [:], at: now))
            try await ledger.transition(session.id, to: .running, reason: nil, worker: "bench-worker", at: now)
            ids.append(session.id)
        }
        return ids
    }

    static func waitForServe(_ output: URL) async throws -> String {
        for _ in 0..<600 {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("serving http://") }) {
                return String(line.dropFirst("serving ".count).split(separator: " ")[0].dropLast())
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("serve did not start")
    }

    // MARK: 1. The page's first load

    static func pageLoad(base: String, http: HTTPClient) async throws {
        for round in ["first", "second"] {
            let start = ContinuousClock.now
            let page = try await fetch("\(base)/", http: http)
            var bytes = page.count
            let assets = page.matches(of: /(?:src|href)="(\/assets\/[^"]+)"/).map { String($0.1) }
            for asset in Set(assets) {
                bytes += try await fetch(base + asset, http: http).count
            }
            let elapsed = ContinuousClock.now - start
            print(
                "page load (\(round)): / and \(Set(assets).count) assets, \(bytes) bytes in \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))"
            )
        }
    }

    static func fetch(_ url: String, http: HTTPClient) async throws -> String {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        guard response.status == .ok else { throw BenchError("GET \(url): \(response.status)") }
        return String(buffer: try await response.body.collect(upTo: 1 << 24))
    }

    // MARK: 2. Latency, ledger to client

    /// Appends `rate` events a second, each carrying its wall-clock time, for `seconds`.
    static func write(
        to ledger: SQLiteLedger, sessions: [Int64], rate: Int, seconds: Int
    ) async throws {
        let batches = 10
        let perBatch = max(1, rate / batches)
        var next = 0
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            var events: [NewEvent] = []
            for _ in 0..<perBatch {
                let session = sessions[next % sessions.count]
                next += 1
                events.append(
                    NewEvent(
                        kind: "tool.called", session: session, org: "acme",
                        data: ["tool": "read_file", "sent_ns": "\(wallNanos())"], at: Date()))
            }
            try await ledger.record(events)
            try await Task.sleep(for: .milliseconds(1000 / batches))
        }
    }

    static func latency(
        base: String, http: HTTPClient, ledger: SQLiteLedger, sessions: [Int64], rate: Int, seconds: Int
    ) async throws {
        // The raw floor: read the ledger at serve's poll interval, here, without HTTP.
        let raw = try await withThrowingTaskGroup(of: [Int64].self) { group in
            let start = try await ledger.latestEventID()
            group.addTask {
                try await write(to: ledger, sessions: sessions, rate: rate, seconds: seconds)
                return []
            }
            group.addTask {
                var cursor = start
                var samples: [Int64] = []
                let end = ContinuousClock.now + .seconds(seconds + 1)
                while ContinuousClock.now < end {
                    for event in try await ledger.events(session: nil, after: cursor) {
                        if let sent = event.data["sent_ns"].flatMap(Int64.init) { samples.append(wallNanos() - sent) }
                        cursor = event.id
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return samples
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        print("latency, raw floor (a 50 ms ledger poll in-process): \(summary(raw))")
        let served = try await withThrowingTaskGroup(of: [Int64].self) { group in
            let stream = try await open(base: base, http: http)
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                try await write(to: ledger, sessions: sessions, rate: rate, seconds: seconds)
                return []
            }
            group.addTask { try await read(stream, for: .seconds(seconds + 1)) }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        print("latency, ledger to an SSE client of serve: \(summary(served))")
    }

    static func open(base: String, http: HTTPClient) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: "\(base)/api/v1/events")
        request.headers.add(name: "Accept", value: "text/event-stream")
        return try await http.execute(request, timeout: .seconds(3600))
    }

    /// Reads a stream for `duration`: the latency of every event that carries its time.
    static func read(_ response: HTTPClientResponse, for duration: Duration) async throws -> [Int64] {
        let deadline = ContinuousClock.now + duration
        var parser = ServerSentEvents()
        var samples: [Int64] = []
        for try await chunk in response.body {
            let received = wallNanos()
            for event in parser.feed(chunk.readableBytesView) {
                guard let range = event.data.range(of: #""sent_ns":""#),
                    let end = event.data[range.upperBound...].firstIndex(of: "\""),
                    let sent = Int64(event.data[range.upperBound..<end])
                else { continue }
                samples.append(received - sent)
            }
            if ContinuousClock.now > deadline { break }
        }
        return samples
    }

    // MARK: 3. Fan-out

    static func fanOut(
        base: String, http: HTTPClient, ledger: SQLiteLedger, sessions: [Int64], clients: Int, rate: Int,
        seconds: Int, serve: pid_t
    ) async throws {
        var streams: [HTTPClientResponse] = []
        for _ in 0..<clients { streams.append(try await open(base: base, http: http)) }
        let idle = ProcessSample(pid: serve)
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                try await write(to: ledger, sessions: sessions, rate: rate, seconds: seconds)
                return []
            }
            for stream in streams {
                group.addTask { try await read(stream, for: .seconds(seconds)) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let wall = (ContinuousClock.now - started) / .seconds(1)
        let busy = ProcessSample(pid: serve)
        let cpu = (busy.cpuSeconds - idle.cpuSeconds) / wall * 100
        print(
            "\(clients) SSE clients, \(sessions.count) running sessions writing \(rate) events/s: serve "
                + String(format: "%.0f %% of one core, %.1f MiB resident", cpu, Double(busy.rssKiB) / 1024)
                + ", \(samples.count / max(1, clients)) events per client; latency \(summary(samples))")
    }
}
