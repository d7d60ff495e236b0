import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

/// Runs `body` with a fresh, empty folder under the temporary directory, and removes the folder afterwards.
func withTemporaryFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("agentsched-ledger-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try await body(folder)
}

/// An exact amount from decimal text: `amount("0.33")`.
/// `text` premium requests, as a multiplier or a session's cap.
func premium(_ text: String) -> PremiumRequests {
    try! PremiumRequests.parse(text).get()
}

/// `text` premium requests, as the ledger holds them.
func amount(_ text: String) -> Amount {
    try! PremiumRequests.parse(text).get().amount
}

/// An instant from ISO 8601 text in UTC, with or without milliseconds: `utc("2026-01-31T23:59:59.999Z")`.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions =
        text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("not an ISO 8601 instant: \(text)") }
    return date
}

/// The catalog and organisations the budget tests spend against.
enum Acme {
    /// Multipliers 0 (with an alias), 0.25, 0.33, 1, 7.5 and 15.
    static let catalog = ModelCatalog(
        defaultModel: "gpt-4.1",
        models: [
            ModelDefinition(name: "gpt-4.1", provider: .openai, multiplier: .zero, aliases: ["GPT-4.1"]),
            ModelDefinition(name: "gpt-5-mini", provider: .openai, multiplier: premium("0.25")),
            ModelDefinition(
                name: "claude-haiku-4.5", provider: .anthropic, multiplier: premium("0.33"), aliases: ["haiku"]),
            ModelDefinition(
                name: "claude-sonnet-4.5", provider: .anthropic, multiplier: premium("1"), aliases: ["sonnet"]),
            ModelDefinition(name: "gpt-5.5", provider: .openai, multiplier: premium("7.5")),
            ModelDefinition(
                name: "claude-opus-4.7", provider: .anthropic, multiplier: premium("15"), aliases: ["opus"]),
        ])

    /// Engine tests run at this instant unless they move the clock: a Thursday.
    static let now = utc("2026-03-12T12:00:00Z")

    static func policy(
        org: String = "acme", budget: Amount? = amount("100"), period: BudgetPolicy.Period = .monthly,
        onExhausted: BudgetPolicy.Exhaustion = .block, fallback: String? = nil, alerts: [Int] = [],
        users: [String: Amount?] = [:], defaultAllowance: Amount? = nil,
        agents: [String: Amount?] = [:], allow: [String] = ["*"]
    ) -> OrganizationPolicy {
        OrganizationPolicy(
            org: org,
            budget: BudgetPolicy(
                limit: budget, period: period, onExhausted: onExhausted, fallbackModel: fallback,
                alerts: alerts),
            users: users, defaultUserAllowance: defaultAllowance, agents: agents,
            models: ModelPolicy(allow: allow), source: "policies/\(org).yaml")
    }

    static func spend(
        _ policy: OrganizationPolicy, user: String = "alice", agent: String = "reviewer",
        repository: String = "acme/api", model: String = "claude-sonnet-4.5", units: Int = 1, session: SessionID? = nil,
        sessionLimit: Amount? = nil, kind: ChargeKind = .request
    ) -> Spend {
        Spend(
            policy: policy, session: session, user: user, agent: agent, repository: repository, model: model,
            units: units, kind: kind, sessionLimit: sessionLimit)
    }

    /// The organisation's scope of `policy` in the period containing `date`.
    static func orgScope(_ policy: OrganizationPolicy, at date: Date) -> BudgetScope {
        let (start, end) = policy.budget.period.bounds(containing: date)
        return BudgetScope(
            kind: .org, name: policy.org, limit: policy.budget.limit, periodStart: start, periodEnd: end)
    }
}

/// A ledger with a registered worker `w1`, queued sessions 1…45 (events name their session, which must
/// exist), and a budget engine on a manual clock.
struct EngineFixture {
    let ledger: any Ledger
    let clock: ManualWallClock
    let engine: BudgetEngine

    init(_ ledger: any Ledger, at date: Date = Acme.now) async throws {
        self.ledger = ledger
        clock = ManualWallClock(date)
        engine = BudgetEngine(ledger: ledger, catalog: Acme.catalog, clock: clock, worker: "w1")
        try await ledger.registerWorker(
            WorkerLease(id: "w1", pid: 1, host: "test", expiresAt: date + 365 * 86400), at: date)
        for issue in 1...45 {
            _ = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/api", issue: issue, agent: "reviewer", assigner: "alice",
                    model: "claude-sonnet-4.5"),
                at: date)
        }
    }

    /// Reserves `spend`, failing the test when the budget refuses it.
    func reserve(_ spend: Spend, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Reservation
    {
        let decision = try await engine.reserve(spend)
        guard case .reserved(let reservation) = decision else {
            Issue.record("expected a reservation, got \(decision)", sourceLocation: sourceLocation)
            throw FixtureFailure()
        }
        return reservation
    }

    /// Reserves `spend` and commits it in full.
    @discardableResult
    func spend(_ spend: Spend, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Charge {
        let reservation = try await reserve(spend, sourceLocation: sourceLocation)
        return try await engine.commit(reservation, policy: spend.policy)
    }

    /// The denial for `spend`, failing the test when the budget lets it through.
    func denial(_ spend: Spend, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> BudgetDenial
    {
        let decision = try await engine.reserve(spend)
        guard case .blocked(let denial) = decision else {
            Issue.record("expected a denial, got \(decision)", sourceLocation: sourceLocation)
            throw FixtureFailure()
        }
        return denial
    }

    func events(_ kind: EventKind) async throws -> [LedgerEvent] {
        try await ledger.events(session: nil, after: 0).filter { $0.kind == kind }
    }
}

struct FixtureFailure: Error {}

/// The `agentsched-ledger-worker` binary SwiftPM built beside this test bundle, run as a separate process.
enum WorkerProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: URL = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("agentsched-ledger-worker"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("agentsched-ledger-worker"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Starts every command at once and waits for all of them; output goes through files so it cannot block.
    static func runAll(_ commands: [[String]]) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for (index, arguments) in commands.enumerated() {
                group.addTask { (index, try await run(arguments)) }
            }
            var results = [Result?](repeating: nil, count: commands.count)
            for try await (index, result) in group {
                results[index] = result
            }
            return results.map { $0! }
        }
    }

    static func run(_ arguments: [String]) async throws -> Result {
        try await withTemporaryFolder { folder in
            let stdoutURL = URL(fileURLWithPath: folder + "/stdout")
            let stderrURL = URL(fileURLWithPath: folder + "/stderr")
            let program = try SpawnedProgram(
                executable: executable.path, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                standardOutput: .file(stdoutURL), standardError: .file(stderrURL))
            let termination = await exit(of: program)
            return Result(
                status: termination.status,
                stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
                stderr: try String(contentsOf: stderrURL, encoding: .utf8))
        }
    }

    /// Waits for `program` to end on a thread of its own, so no cooperative thread blocks.
    static func exit(of program: SpawnedProgram) async -> SpawnedProgram.Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: program.waitForExit()) }
        }
    }

    /// A `hold` worker that printed `ready`: its lease is registered and its reservations are open.
    final class Held: Sendable {
        let program: SpawnedProgram

        init(_ arguments: [String]) async throws {
            program = try SpawnedProgram(
                executable: WorkerProcess.executable.path, arguments: arguments,
                environment: ProcessInfo.processInfo.environment, standardError: .null)
            let line = await withCheckedContinuation { [program] (continuation: CheckedContinuation<String, Never>) in
                Thread.detachNewThread {
                    var data = Data()
                    while !data.contains(UInt8(ascii: "\n")), let reader = program.output {
                        guard let chunk = TestProcess.readSome(reader), !chunk.isEmpty else { break }
                        data += chunk
                    }
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                }
            }
            guard line == "ready\n" else {
                program.signal(SIGKILL)
                Issue.record("the hold worker printed \(line.debugDescription) instead of ready")
                throw FixtureFailure()
            }
        }

        /// Sends SIGKILL and waits until the process is gone.
        @discardableResult
        func killAndWait() async -> SpawnedProgram.Termination {
            program.signal(SIGKILL)
            return await WorkerProcess.exit(of: program)
        }

        deinit {
            if program.termination == nil {
                program.signal(SIGKILL)
                _ = program.waitForExit()
            }
        }
    }
}
