import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerLedgerSQLite
import Foundation

/// A worker process for the ledger's cross-process tests.
///
///     agentsched-ledger-worker stress --ledger PATH|URL --worker ID --count N --seed S [--phase mixed|fill]
///     agentsched-ledger-worker hold --ledger PATH|URL --worker ID --lease-seconds 1 --reservations K
///     agentsched-ledger-worker follow-up --ledger PATH|URL --follows ID --pull-request N --rounds R
///
/// `stress` runs `N` concurrent tasks of `StressWorkload` against the ledger and prints one JSON line,
/// a `StressSummary` of what it committed. `hold` registers a lease of the given length, moves a new
/// session to `running`, reserves `K` premium requests for it one at a time, prints `ready`, and then
/// sleeps without renewing the lease until it is killed. `follow-up` races `createFollowUp` on the
/// feedback keys `review-comment:1` … `review-comment:R`, one round each, and prints the rounds it won
/// (one number a line).
@main
struct LedgerWorker {
    static func main() async {
        do {
            let command = try WorkerCommand(arguments: Array(CommandLine.arguments.dropFirst()))
            switch command.name {
            case "stress": try await stress(command)
            case "hold": try await hold(command)
            case "follow-up": try await followUp(command)
            default: throw WorkerCommand.Failure("unknown command '\(command.name)'; use stress, hold or follow-up")
            }
        } catch {
            FileHandle.standardError.write(Data("agentsched-ledger-worker: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs `body` with the ledger at `location`: a PostgreSQL database for a `postgres://` URL
    /// (on the caller's clock, as the contract suite runs it), else a SQLite file.
    static func withLedger(_ location: String, _ body: (any Ledger) async throws -> Void) async throws {
        guard location.hasPrefix("postgres://") else { return try await body(try SQLiteLedger(path: location)) }
        let configuration = try PostgresLedgerConfiguration(url: location, environment: [:])
        try await PostgresLedger.withLedger(
            configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
        ) { try await body($0) }
    }

    static func stress(_ command: WorkerCommand) async throws {
        try await withLedger(try command.value("ledger")) { ledger in
            let worker = WorkerID(try command.value("worker"))
            let phase = try StressWorkload.Phase(text: command.value("phase", default: "mixed"))
            let summary = try await StressWorkload.run(
                ledger: ledger, worker: worker, tasks: try command.integer("count"),
                seed: UInt64(command.integer("seed")),
                phase: phase)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(summary) + Data("\n".utf8))
        }
    }

    static func followUp(_ command: WorkerCommand) async throws {
        try await withLedger(try command.value("ledger")) { ledger in
            let follows = SessionID(Int64(try command.integer("follows")))
            let pullRequest = try command.integer("pull-request")
            guard let followed = try await ledger.session(follows) else {
                throw WorkerCommand.Failure("no session \(follows)")
            }
            var won: [String] = []
            for round in 1...max(1, try command.integer("rounds")) {
                let new = NewSession(
                    org: followed.org, repository: followed.repository, issue: followed.issue, title: followed.title,
                    body: followed.body, agent: followed.agent, assigner: followed.assigner, model: followed.model,
                    follows: follows, feedback: "round \(round)")
                if try await ledger.createFollowUp(
                    new, pullRequest: pullRequest, feedbackKeys: ["review-comment:\(round)"], at: Date()) != nil
                {
                    won.append("\(round)")
                }
            }
            FileHandle.standardOutput.write(Data(won.map { $0 + "\n" }.joined().utf8))
        }
    }

    static func hold(_ command: WorkerCommand) async throws {
        try await withLedger(try command.value("ledger")) { ledger in
            let worker = WorkerID(try command.value("worker"))
            let count = try command.integer("reservations")
            let clock = SystemWallClock()
            let start = clock.now()
            let lease = WorkerLease(
                id: worker, pid: getpid(), host: ProcessInfo.processInfo.hostName,
                expiresAt: start + TimeInterval(try command.integer("lease-seconds")))
            try await ledger.registerWorker(lease, at: start)
            let policy = StressFixture.policy
            let session = try await ledger.createSession(
                NewSession(
                    org: policy.org, repository: "acme/api", issue: 7, title: "held until killed", agent: "reviewer",
                    assigner: "alice", model: "claude-sonnet-4.5"),
                at: clock.now())
            try await ledger.transition(session.id, to: .running, reason: nil, worker: worker, at: clock.now())
            let engine = BudgetEngine(ledger: ledger, catalog: StressFixture.catalog, clock: clock, worker: worker)
            for _ in 0..<count {
                let spend = Spend(
                    policy: policy, session: session.id, user: "alice", agent: "reviewer", repository: "acme/api",
                    model: "claude-sonnet-4.5", kind: .request)
                guard case .reserved = try await engine.reserve(spend) else {
                    throw WorkerCommand.Failure("the budget refused a held reservation")
                }
            }
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            while true {
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }
}

/// `NAME --option value …`, parsed without a library so the worker depends on the ledger alone.
struct WorkerCommand {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    var name: String
    var options: [String: String] = [:]

    init(arguments: [String]) throws {
        guard let name = arguments.first else { throw Failure("missing command") }
        self.name = name
        var rest = arguments.dropFirst()
        while let option = rest.popFirst() {
            guard option.hasPrefix("--"), let value = rest.popFirst() else {
                throw Failure("expected --option value, got '\(option)'")
            }
            options[String(option.dropFirst(2))] = value
        }
    }

    func value(_ option: String, default fallback: String? = nil) throws -> String {
        guard let value = options[option] ?? fallback else { throw Failure("missing --\(option)") }
        return value
    }

    func integer(_ option: String) throws -> Int {
        guard let number = Int(try value(option)), number >= 0 else {
            throw Failure("--\(option) needs a whole number")
        }
        return number
    }
}

/// The organisation, catalog, users, agents and sessions every stress run spends against.
///
/// The limits are far below what the tasks ask for, so every kind of scope runs out; the user `ops`
/// and the agent `tester` have no limit of their own, so the organisation's budget can always be
/// filled to the last fraction.
enum StressFixture {
    static let org = "acme"

    /// Multipliers 0, 0.25, 0.33, 1 and 7.5.
    static let catalog = ModelCatalog(
        defaultModel: "gpt-4.1",
        models: [
            ModelDefinition(name: "gpt-4.1", provider: .replay, multiplier: .zero),
            ModelDefinition(name: "gpt-5-mini", provider: .replay, multiplier: PremiumRequests(thousandths: 250)),
            ModelDefinition(
                name: "claude-haiku-4.5", provider: .replay, multiplier: PremiumRequests(thousandths: 330)),
            ModelDefinition(name: "claude-sonnet-4.5", provider: .replay, multiplier: PremiumRequests(1)),
            ModelDefinition(name: "gpt-5.5", provider: .replay, multiplier: PremiumRequests(thousandths: 7500)),
        ])

    static let policy = OrganizationPolicy(
        org: org,
        budget: BudgetPolicy(limit: PremiumRequests(1000).amount, period: .monthly, alerts: [75, 90, 100]),
        users: [
            "alice": PremiumRequests(60).amount, "bob": PremiumRequests(thousandths: 45_500).amount,
            "ops": Amount?.none,
        ],
        defaultUserAllowance: PremiumRequests(25).amount,
        agents: [
            "reviewer": PremiumRequests(50).amount, "coder": PremiumRequests(thousandths: 80_250).amount,
            "tester": Amount?.none,
        ],
        source: "stress fixture")

    static let users = ["alice", "bob", "carol", "dave", "erin", "ops"]
    static let agents = ["reviewer", "coder", "tester"]
    static let repositories = ["acme/api", "acme/web"]
    /// Half the spends belong to one of these sessions, each capped at `sessionLimit`.
    static let sessions: [SessionID] = (1...24).map(SessionID.init(rawValue:))
    static let sessionLimit = PremiumRequests(6).amount
    /// Every stress run happens at this instant, so the whole run counts toward one period.
    static let now = Date(timeIntervalSince1970: 1_773_576_000)  // 2026-03-15T12:00:00Z

    /// Every scope a stress run can touch, with its limit.
    static var scopes: [BudgetScope] {
        let (start, end) = policy.budget.period.bounds(containing: now)
        func scope(_ kind: BudgetScope.Kind, _ name: String, _ limit: Amount?) -> BudgetScope {
            BudgetScope(kind: kind, name: name, limit: limit, periodStart: start, periodEnd: end)
        }
        return [scope(.org, org, policy.budget.limit)]
            + users.map { scope(.user, "\(org)/\($0)", policy.allowance(for: $0)) }
            + agents.map { scope(.agent, "\(org)/\($0)", policy.agents[$0] ?? nil) }
            + sessions.map {
                BudgetScope(
                    kind: .session, name: "\($0)", limit: sessionLimit, periodStart: Date(timeIntervalSince1970: 0),
                    periodEnd: nil)
            }
    }
}

/// What one stress run did, as its tasks saw it.
struct StressSummary: Codable, Sendable, Equatable {
    var worker: String
    var tasks = 0
    /// Charges made and their total, in thousandths.
    var charges = 0
    var committed: Int64 = 0
    /// Charges for less than was reserved, and reservations released without a charge.
    var partialCommits = 0
    var releases = 0
    /// Thousandths committed under each scope key (`org:acme`, `user:acme/alice`, `session:3`, …).
    var committedByScope: [String: Int64] = [:]
    /// Refusals by the kind of scope that was used up.
    var refusals: [String: Int] = [:]
    /// The smallest amount the organisation's budget refused, in thousandths.
    var smallestOrgRefusal: Int64?

    mutating func merge(_ other: StressSummary) {
        tasks += other.tasks
        charges += other.charges
        committed += other.committed
        partialCommits += other.partialCommits
        releases += other.releases
        committedByScope.merge(other.committedByScope, uniquingKeysWith: +)
        refusals.merge(other.refusals, uniquingKeysWith: +)
        if let refusal = other.smallestOrgRefusal {
            smallestOrgRefusal = min(smallestOrgRefusal ?? refusal, refusal)
        }
    }
}

/// Concurrent tasks that reserve random amounts through `BudgetEngine` and commit or release them.
enum StressWorkload {
    enum Phase: String, Sendable {
        /// A few spends per task: most committed in full, some for less than reserved, some released.
        case mixed
        /// Every spend committed in full, each task going on until the organisation's budget refuses it.
        case fill

        init(text: String) throws {
            guard let phase = Phase(rawValue: text) else { throw WorkerCommand.Failure("unknown phase '\(text)'") }
            self = phase
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `tasks` tasks at once as `worker` (registered here and retired at the end) at
    /// `StressFixture.now`; task `i` draws from a generator seeded with `seed` and `i`.
    static func run(
        ledger: any Ledger, worker: WorkerID, tasks: Int, seed: UInt64, phase: Phase
    ) async throws -> StressSummary {
        let clock = ManualWallClock(StressFixture.now)
        try await ledger.registerWorker(
            WorkerLease(id: worker, pid: getpid(), host: "stress", expiresAt: clock.now() + 3600), at: clock.now())
        let engine = BudgetEngine(ledger: ledger, catalog: StressFixture.catalog, clock: clock, worker: worker)
        var summary = StressSummary(worker: worker.rawValue)
        try await withThrowingTaskGroup(of: StressSummary.self) { group in
            for index in 0..<tasks {
                group.addTask {
                    var random = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(index + 1))
                    return try await runTask(engine: engine, worker: worker, phase: phase, random: &random)
                }
            }
            for try await outcome in group {
                summary.merge(outcome)
            }
        }
        try await ledger.retireWorker(worker, at: clock.now())
        return summary
    }

    static func runTask(
        engine: BudgetEngine, worker: WorkerID, phase: Phase, random: inout SeededGenerator
    ) async throws -> StressSummary {
        let policy = StressFixture.policy
        var summary = StressSummary(worker: worker.rawValue, tasks: 1)
        var spends = phase == .fill ? Int.max : Int.random(in: 2...5, using: &random)
        var unlimited = false
        for _ in 0..<10_000 {
            guard spends > 0 else { return summary }
            // After a user, agent or session scope refused, go on half the time where only the
            // organisation's budget limits the spend.
            let open = unlimited && Bool.random(using: &random)
            let session = Bool.random(using: &random) ? StressFixture.sessions.randomElement(using: &random) : nil
            let spend = Spend(
                policy: policy, session: open ? nil : session,
                user: open ? "ops" : StressFixture.users.randomElement(using: &random)!,
                agent: open ? "tester" : StressFixture.agents.randomElement(using: &random)!,
                repository: StressFixture.repositories.randomElement(using: &random)!,
                model: StressFixture.catalog.models.randomElement(using: &random)!.name,
                units: Int.random(in: 1...3, using: &random), kind: .request, sessionLimit: StressFixture.sessionLimit)
            switch try await engine.reserve(spend) {
            case .blocked(let denial):
                let kind = denial.exhaustion.scope.kind
                summary.refusals[kind.rawValue, default: 0] += 1
                if kind == .org {
                    let amount = denial.exhaustion.requested.minorUnits
                    summary.smallestOrgRefusal = min(summary.smallestOrgRefusal ?? amount, amount)
                    return summary
                }
                unlimited = true
            case .reserved(let reservation):
                spends -= 1
                let choice = phase == .fill ? 0 : Int.random(in: 0..<10, using: &random)
                if choice >= 8 {
                    try await engine.release(reservation, reason: "cancelled")
                    summary.releases += 1
                    continue
                }
                var amount = reservation.amount
                if choice >= 6 {
                    amount = Amount(amount.unit, minorUnits: Int64.random(in: 0...amount.minorUnits, using: &random))
                    summary.partialCommits += 1
                }
                let charge = try await engine.commit(reservation, policy: policy, amount: amount)
                summary.charges += 1
                summary.committed += charge.amount.minorUnits
                for scope in BudgetEngine.scopes(for: spend, at: StressFixture.now) {
                    summary.committedByScope[scope.key.description, default: 0] += charge.amount.minorUnits
                }
            }
        }
        throw Failure(description: "a \(phase.rawValue) task made 10000 attempts without the budget refusing it")
    }
}

/// SplitMix64: a small generator whose sequence depends only on its seed, so failures reproduce.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
