import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation

/// Measures the ledger on this machine, each figure beside a raw-SQLite baseline taken in the same run.
///
///     ledger-bench throughput [--operations N] [--processes P]
///     ledger-bench usage [--charges N | --ledger PATH]
///     ledger-bench pg-throughput [--url URL] [--operations N] [--processes 1,4,16]
///     ledger-bench pg-usage [--url URL] [--charges N | --database NAME] [--explain]
///     ledger-bench claims [--engine sqlite|postgres] [--url URL] [--sessions N] [--processes 16] [--slots S]
///
/// `throughput` times reserve+commit through `BudgetEngine` and `SQLiteLedger`, then the same SQL
/// statements through SQLite's C API with prepared statements, in one process and in P processes on
/// one file. `usage` fills a ledger with N charges and times `usage --by org,user,agent,model,day`.
/// The `pg-` modes do the same on PostgreSQL (`--url`, else `AGENTSCHED_TEST_POSTGRES_URL`), each
/// in databases of their own on that server; `claims` times claim+transition with P workers.
@main
struct LedgerBench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let mode = arguments.first else { return usage() }
        arguments.removeFirst()
        func option(_ name: String, default value: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
            return Int(arguments[index + 1]) ?? value
        }
        /// `--processes 1,4,16`: a comma-separated list of counts, in the order given, without repeats.
        func list(_ name: String, default value: [Int]) -> [Int] {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
            var seen: Set<Int> = []
            let counts = arguments[index + 1].split(separator: ",").compactMap { Int($0) }.filter {
                $0 > 0 && seen.insert($0).inserted
            }
            return counts.isEmpty ? value : counts
        }
        func text(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        switch mode {
        case "throughput":
            try await Throughput(
                operations: option("--operations", default: 5_000), processes: list("--processes", default: [1, 4])
            )
            .run()
        case "child":
            // child KIND LEDGER WORKER OPERATIONS: one of the P processes of a throughput run.
            let kind = arguments[0]
            let path = arguments[1]
            let worker = arguments[2]
            let operations = Int(arguments[3])!
            if kind == "engine" || kind == "credits" {
                try await Throughput.engineLoop(
                    path: path, worker: worker, operations: operations,
                    unit: kind == "credits" ? .aiCredits : .premiumRequests)
            } else {
                try RawLoop(path: path, worker: worker).run(operations: operations)
            }
        case "pg-throughput":
            try await PostgresThroughput(
                server: try PostgresBench.fromEnvironment(text("--url")),
                operations: option("--operations", default: 2_000),
                processes: list("--processes", default: [1, 4, 16])
            )
            .run()
        case "pg-child":
            // pg-child KIND URL WORKER OPERATIONS: one of the P processes of a PostgreSQL throughput run.
            let (kind, url, worker, operations) = (arguments[0], arguments[1], arguments[2], Int(arguments[3])!)
            if kind == "engine" {
                try await PostgresThroughput.engineLoop(url: url, worker: worker, operations: operations)
            } else {
                try await PostgresRawLoop(url: url, worker: worker).run(operations: operations)
            }
        case "pg-usage":
            try await PostgresUsageBench(
                server: try PostgresBench.fromEnvironment(text("--url")),
                charges: option("--charges", default: 1_000_000),
                existingDatabase: text("--database"), explain: arguments.contains("--explain")
            )
            .run()
        case "claims":
            guard let engine = ClaimBench.Engine(rawValue: text("--engine") ?? "sqlite") else { return usage() }
            try await ClaimBench(
                engine: engine,
                server: engine == .postgres ? try PostgresBench.fromEnvironment(text("--url")) : nil,
                sessions: option("--sessions", default: 10_000), processes: list("--processes", default: [16]),
                slots: option("--slots", default: 1)
            )
            .run()
        case "claim-child":
            // claim-child ENGINE LOCATION WORKER SLOTS: one of the P processes of a claims run.
            try await ClaimBench.worker(
                engine: ClaimBench.Engine(rawValue: arguments[0])!, location: arguments[1], worker: arguments[2],
                slots: Int(arguments[3])!)
        case "usage":
            let existing = arguments.firstIndex(of: "--ledger").map { arguments[$0 + 1] }
            try await UsageBench(charges: option("--charges", default: 1_000_000), existingLedger: existing).run()
        default:
            usage()
        }
    }

    static func usage() {
        FileHandle.standardError.write(
            Data("usage: ledger-bench throughput|usage|pg-throughput|pg-usage|claims [options]\n".utf8))
        exit(64)
    }
}
