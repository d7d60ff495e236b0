import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import Foundation

/// Reserve+commit throughput of `PostgresLedger` (through `BudgetEngine`, premium requests)
/// against `PostgresRawLoop`, the same statements by hand through postgres-nio, with P worker
/// processes, each holding its own lease, on one database per row and kind.
struct PostgresThroughput {
    var server: PostgresBench
    var operations: Int
    var processes: [Int]
    /// Pooled connections per worker process of the engine.
    static let connectionsPerProcess = 2

    func run() async throws {
        print(
            "PostgreSQL reserve+commit, \(operations) operations per process; the processes of a row share one database"
        )
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print("mode                               ops/s    vs raw")
        let run = "lb\(getpid())"
        for processCount in processes {
            var urls: [String: String] = [:]
            for kind in ["engine", "raw"] {
                let url = try await server.createDatabase("\(run)_\(kind)_\(processCount)")
                urls[kind] = url
                _ = try await PostgresBench.withLedger(url, connections: 1) { ledger in
                    try await ledger.createSession(
                        NewSession(
                            org: "acme", repository: "acme/webapp", issue: 1, agent: "agent", assigner: "alice",
                            model: "model"),
                        at: Date())
                }
            }
            let raw = try measure("raw", url: urls["raw"]!, processCount: processCount)
            let engine = try measure("engine", url: urls["engine"]!, processCount: processCount)
            let processes = "\(processCount) process\(processCount == 1 ? " " : "es")"
            print(
                "PostgresLedger, \(processes)".padded(32)
                    + String(format: "%9.0f  %6.1f %%", engine, engine / raw * 100))
            print("raw postgres-nio, \(processes)".padded(32) + String(format: "%9.0f", raw))
            for kind in ["engine", "raw"] { try await server.dropDatabase("\(run)_\(kind)_\(processCount)") }
        }
    }

    /// Operations per second over all processes, from the first start to the last exit.
    func measure(_ kind: String, url: String, processCount: Int) throws -> Double {
        let seconds = try ChildProcesses.run(processCount) { index in
            ["pg-child", kind, url, "worker-\(index)", "\(operations)"]
        }
        return Double(operations * processCount) / seconds
    }

    /// One worker process of the engine: its lease, then `operations` reserve+commit pairs.
    static func engineLoop(url: String, worker: String, operations: Int) async throws {
        try await PostgresBench.withLedger(url, connections: connectionsPerProcess) { ledger in
            let clock = SystemWallClock()
            try await ledger.registerWorker(
                WorkerLease(id: worker, pid: getpid(), host: "bench", expiresAt: clock.now() + 3600), at: clock.now())
            let engine = BudgetEngine(ledger: ledger, catalog: Throughput.catalog, clock: clock, worker: worker)
            let policy = Throughput.policy(.premiumRequests)
            let spend = Spend(
                policy: policy, session: 1, user: "alice", agent: "agent", repository: "acme/webapp", model: "model",
                kind: .request)
            for _ in 0..<operations {
                guard case .reserved(let reservation) = try await engine.reserve(spend) else {
                    throw BenchFailure("budget unexpectedly exhausted")
                }
                try await engine.commit(reservation, policy: policy)
            }
        }
    }
}
