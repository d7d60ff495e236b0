import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation

/// Measures the ledger on this machine, each figure beside a raw-SQLite baseline taken in the same run.
///
///     ledger-bench throughput [--operations N] [--processes P]
///     ledger-bench usage [--charges N | --ledger PATH]
///
/// `throughput` times reserve+commit through `BudgetEngine` and `SQLiteLedger`, then the same SQL
/// statements through SQLite's C API with prepared statements, in one process and in P processes on
/// one file. `usage` fills a ledger with N charges and times `usage --by org,user,agent,model,day`.
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
        switch mode {
        case "throughput":
            try await Throughput(
                operations: option("--operations", default: 5_000), processes: option("--processes", default: 4)
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
        case "usage":
            let existing = arguments.firstIndex(of: "--ledger").map { arguments[$0 + 1] }
            try await UsageBench(charges: option("--charges", default: 1_000_000), existingLedger: existing).run()
        default:
            usage()
        }
    }

    static func usage() {
        FileHandle.standardError.write(Data("usage: ledger-bench throughput|usage [options]\n".utf8))
        exit(64)
    }
}
