import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation

/// Reserve+commit throughput of the engine against raw SQLite, in one process and in several: in
/// premium requests (`BudgetEngine.reserve`, the multiplier) and in AI credits
/// (`BudgetEngine.reserveRequest`, the worst case of a request, then the reported tokens' cost).
struct Throughput {
    var operations: Int
    /// The process counts to measure, each in its own files: `--processes 1,4,16`.
    var processes: [Int]

    static let catalog = ModelCatalog(
        defaultModel: "model",
        models: [
            ModelDefinition(
                name: "model", provider: .openai, multiplier: PremiumRequests(thousandths: 330),
                pricing: TokenPricing(
                    standard: TokenPricing.Rates(
                        input: TokenPrice(nanocreditsPerToken: 250_000),
                        cachedInput: TokenPrice(nanocreditsPerToken: 25_000),
                        output: TokenPrice(nanocreditsPerToken: 1_500_000))))
        ])

    static func policy(_ unit: BillingUnit) -> OrganizationPolicy {
        var policy = OrganizationPolicy(org: "acme", billing: unit, source: "bench")
        let plenty =
            unit == .premiumRequests ? PremiumRequests(100_000_000).amount : AICredits(1_000_000_000).amount
        policy.budget = BudgetPolicy(limit: plenty, period: .monthly, alerts: [75, 90, 100])
        policy.defaultUserAllowance = plenty
        policy.agents = ["agent": plenty]
        return policy
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        print("SQLite reserve+commit, \(operations) operations per process; the processes of a row share one file")
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print("mode                               ops/s    vs raw")
        for processCount in processes {
            let engineFile = folder.appendingPathComponent("engine-\(processCount).sqlite").path
            let creditsFile = folder.appendingPathComponent("credits-\(processCount).sqlite").path
            let rawFile = folder.appendingPathComponent("raw-\(processCount).sqlite").path
            for file in [engineFile, creditsFile, rawFile] {
                _ = try await SQLiteLedger(path: file).createSession(
                    NewSession(
                        org: "acme", repository: "acme/webapp", issue: 1, agent: "agent", assigner: "alice",
                        model: "model"),
                    at: Date())
            }
            let raw = try measure(kind: "raw", path: rawFile, processCount: processCount)
            let engine = try measure(kind: "engine", path: engineFile, processCount: processCount)
            let credits = try measure(kind: "credits", path: creditsFile, processCount: processCount)
            let processes = "\(processCount) process\(processCount == 1 ? " " : "es")"
            print(
                "premium requests, \(processes)".padded(32)
                    + String(format: "%9.0f  %6.1f %%", engine, engine / raw * 100))
            print(
                "AI credits, \(processes)".padded(32) + String(format: "%9.0f  %6.1f %%", credits, credits / raw * 100))
            print("raw SQLite, \(processes)".padded(32) + String(format: "%9.0f", raw))
        }
    }

    /// Operations per second over all processes, from the first start to the last exit.
    func measure(kind: String, path: String, processCount: Int) throws -> Double {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let started = ContinuousClock.now
        let children = try (0..<processCount).map { index in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["child", kind, path, "worker-\(index)", "\(operations)"]
            try process.run()
            return process
        }
        for child in children {
            child.waitUntilExit()
            guard child.terminationStatus == 0 else { throw BenchFailure("a \(kind) child failed") }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(operations * processCount) / seconds
    }

    static func engineLoop(path: String, worker: String, operations: Int, unit: BillingUnit) async throws {
        let ledger = try SQLiteLedger(path: path)
        let clock = SystemWallClock()
        try await ledger.registerWorker(
            WorkerLease(id: worker, pid: getpid(), host: "bench", expiresAt: clock.now() + 3600), at: clock.now())
        let engine = BudgetEngine(ledger: ledger, catalog: catalog, clock: clock, worker: worker)
        let policy = policy(unit)
        let spend = Spend(
            policy: policy, session: 1, user: "alice", agent: "agent", repository: "acme/webapp", model: "model",
            kind: .request)
        let pricing = catalog.models[0].pricing!
        let tokens = TokenCounts(input: 1_200, cachedInput: 3_000, output: 350)
        for _ in 0..<operations {
            switch unit {
            case .premiumRequests:
                guard case .reserved(let reservation) = try await engine.reserve(spend) else {
                    throw BenchFailure("budget unexpectedly exhausted")
                }
                try await engine.commit(reservation, policy: policy)
            case .aiCredits:
                // A request of 4,200 prompt tokens with a 4,096-token cap, answered in 350.
                guard
                    case .reserved(let reservation, _, _) = try await engine.reserveRequest(
                        spend, promptTokens: 4_200, maxOutputTokens: 4_096)
                else { throw BenchFailure("budget unexpectedly exhausted") }
                try await engine.commit(
                    reservation, policy: policy, amount: pricing.cost(of: tokens).credits.amount, tokens: tokens)
            }
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
