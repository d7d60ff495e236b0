import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerLedgerSQLite
import Foundation

/// Claims per second: N queued sessions (3 organisations, 40 users), P worker processes, each
/// with its own lease, claiming `slots` at a time with `ledger.claim` and moving every session it
/// claimed to `running`, until the queue is empty. Timed from the first start to the last exit.
struct ClaimBench {
    enum Engine: String { case sqlite, postgres }

    var engine: Engine
    var server: PostgresBench?
    var sessions: Int
    var processes: [Int]
    var slots: Int

    func run() async throws {
        print(
            "\(engine == .sqlite ? "SQLite" : "PostgreSQL") claim + transition to running, \(sessions) queued sessions, \(slots) slot\(slots == 1 ? "" : "s") per claim"
        )
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print("processes      claims/s   seconds   claimed")
        for processCount in processes {
            let location: String
            let name = "lb\(getpid())_claims_\(processCount)"
            let seedStarted = ContinuousClock.now
            switch engine {
            case .sqlite:
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "claim-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                location = folder.appendingPathComponent("ledger.sqlite").path
                try await seed(try SQLiteLedger(path: location))
            case .postgres:
                guard let server else { throw BenchFailure("no server") }
                location = try await server.createDatabase(name)
                try await PostgresBench.withLedger(location, connections: 4) { try await seed($0) }
            }
            FileHandle.standardError.write(
                Data("seeded \(sessions) sessions in \(ContinuousClock.now - seedStarted)\n".utf8))
            let seconds = try ChildProcesses.run(processCount) { index in
                ["claim-child", engine.rawValue, location, "worker-\(index)", "\(slots)"]
            }
            let claimed = try await count(location)
            print(
                "\(processCount)".padded(12)
                    + String(format: "%10.0f %9.2f %9d", Double(claimed) / seconds, seconds, claimed))
            guard claimed == sessions || Self.timeLimit != nil else {
                throw BenchFailure("\(claimed) of \(sessions) sessions were claimed")
            }
            if claimed < sessions {
                print("(time-limited: \(sessions - claimed) sessions were still queued at the end)")
            }
            switch engine {
            case .sqlite: try? FileManager.default.removeItem(atPath: (location as NSString).deletingLastPathComponent)
            case .postgres: try await server?.dropDatabase(name)
            }
        }
    }

    /// Queues `sessions` sessions, four at a time.
    func seed(_ ledger: any Ledger) async throws {
        let sessions = sessions
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<4 {
                group.addTask {
                    for index in stride(from: lane, to: sessions, by: 4) {
                        let org = ["acme", "globex", "initech"][index % 3]
                        _ = try await ledger.createSession(
                            NewSession(
                                org: org, repository: "\(org)/webapp", issue: index + 1, agent: "implementer",
                                assigner: "user\(index % 40)", model: "model"),
                            at: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// How many sessions are running.
    func count(_ location: String) async throws -> Int {
        switch engine {
        case .sqlite: try await SQLiteLedger(path: location).stateCounts()[.running] ?? 0
        case .postgres:
            try await PostgresBench.withLedger(location, connections: 1) { try await $0.stateCounts()[.running] ?? 0 }
        }
    }

    /// One worker process: its lease, then claims until the queue is empty.
    static func worker(engine: Engine, location: String, worker: String, slots: Int) async throws {
        switch engine {
        case .sqlite:
            // The default busy timeout (10 s) is not enough for 16 processes taking turns on a
            // queue of 10,000 on a loaded 2-core machine (database is locked): wait longer.
            let busyTimeout = ProcessInfo.processInfo.environment["LEDGER_BENCH_SQLITE_BUSY_TIMEOUT"].flatMap(
                Double.init)
            try await claimLoop(
                try SQLiteLedger(path: location, busyTimeout: busyTimeout ?? 10), worker: worker, slots: slots)
        case .postgres:
            try await PostgresBench.withLedger(location, connections: 2) {
                try await claimLoop($0, worker: worker, slots: slots)
            }
        }
    }

    /// `LEDGER_BENCH_CLAIM_SECONDS`: each worker stops after that long even if sessions remain, for
    /// an engine too slow to drain the queue in the time there is; claims/s is then what was claimed
    /// over the time taken.
    static let timeLimit = ProcessInfo.processInfo.environment["LEDGER_BENCH_CLAIM_SECONDS"].flatMap(Double.init)

    static func claimLoop(_ ledger: any Ledger, worker: String, slots: Int) async throws {
        try await ledger.registerWorker(
            WorkerLease(id: worker, pid: getpid(), host: "bench", expiresAt: Date() + 3600), at: Date())
        let started = ContinuousClock.now
        while timeLimit.map({ (ContinuousClock.now - started).seconds < $0 }) ?? true {
            let claimed = try await ledger.claim(ClaimRequest(worker: worker, slots: slots, limits: [:], at: Date()))
            guard !claimed.isEmpty else { return }
            for session in claimed {
                try await ledger.transition(session.id, to: .running, reason: nil, worker: worker, at: Date())
            }
        }
    }
}
