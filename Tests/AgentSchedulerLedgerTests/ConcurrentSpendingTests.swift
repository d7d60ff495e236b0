import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

@testable import agentsched_ledger_worker

/// DESIGN §5.1–2 under load: many tasks, then many processes, reserving at once against budgets they
/// together exceed. Each run has two phases: `mixed` (commits for the full amount or less, and
/// releases) and then `fill` (full commits until the organisation's budget refuses every task).
@Suite("Concurrent spending")
struct ConcurrentSpendingTests {
    @Test(
        "400 concurrent tasks in one process (100 on PostgreSQL) never overrun a budget and resolve every reservation once",
        arguments: LedgerEngine.available)
    func inOneProcess(engine: LedgerEngine) async throws {
        let tasks = engine.stressTasks(400)
        try await engine.withLedger { ledger, _ in
            try await createStressSessions(ledger)
            let mixed = try await StressWorkload.run(
                ledger: ledger, worker: "mixed", tasks: tasks, seed: 20_260_315, phase: .mixed)
            let fill = try await StressWorkload.run(
                ledger: ledger, worker: "fill", tasks: tasks, seed: 20_260_316, phase: .fill)
            try await expectStressInvariants(ledger, mixed: [mixed], fill: [fill])
        }
    }

    @Test(
        "four processes sharing one ledger file never overrun a budget and resolve every reservation once",
        .timeLimit(.minutes(5)), arguments: LedgerEngine.available)
    func acrossProcesses(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, path in
            try await createStressSessions(ledger)
            func phase(_ name: String, seed: Int) async throws -> [StressSummary] {
                let results = try await WorkerProcess.runAll(
                    (1...4).map { index in
                        [
                            "stress", "--ledger", path, "--worker", "\(name)-\(index)", "--count",
                            "\(engine.stressTasks(100))", "--seed",
                            "\(seed + index)", "--phase", name,
                        ]
                    })
                return try results.map { result in
                    #expect(result.status == 0, "stderr: \(result.stderr)")
                    return try JSONDecoder().decode(StressSummary.self, from: Data(result.stdout.utf8))
                }
            }
            let mixed = try await phase("mixed", seed: 7_000)
            let fill = try await phase("fill", seed: 8_000)
            #expect(Set((mixed + fill).map(\.worker)).count == 8)
            try await expectStressInvariants(ledger, mixed: mixed, fill: fill)
        }
    }

    @Test("the workload is a function of its seed")
    func seededWorkload() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        var other = SeededGenerator(seed: 43)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in second.next() })
        #expect(a != (0..<8).map { _ in other.next() })
    }

    /// Creates the sessions the stress fixture spends in, so their ids are 1…24.
    func createStressSessions(_ ledger: any Ledger) async throws {
        for id in StressFixture.sessions {
            let session = try await ledger.createSession(
                NewSession(
                    org: StressFixture.org, repository: "acme/api", issue: Int(id.rawValue), agent: "reviewer",
                    assigner: "alice", model: "claude-sonnet-4.5",
                    premiumLimit: StressFixture.sessionLimit.premiumRequests),
                at: StressFixture.now)
            #expect(session.id == id)
        }
    }

    /// The invariants of DESIGN §5.1, 5.2 and 5.7 after a stress run.
    ///
    /// Which user, agent and session scopes refuse depends on how the tasks interleave, so only the
    /// organisation's budget (which the demand far exceeds) must refuse here; each scope's refusal is
    /// proven on its own in `BudgetEngineTests`.
    func expectStressInvariants(
        _ ledger: any Ledger, mixed: [StressSummary], fill: [StressSummary]
    ) async throws {
        var total = StressSummary(worker: "all")
        var filled = StressSummary(worker: "fill")
        mixed.forEach { total.merge($0) }
        fill.forEach {
            total.merge($0)
            filled.merge($0)
        }

        // The run pushed past the organisation's budget and used every kind of resolution.
        #expect(
            total.refusals[BudgetScope.Kind.org.rawValue, default: 0] > 0, "the organisation's budget never refused")
        #expect(total.partialCommits > 0)
        #expect(total.releases > 0)

        // Nothing is left open, and each reservation was resolved exactly once.
        #expect(try await ledger.openReservations() == [])
        let events = try await ledger.events(session: nil, after: 0)
        func count(_ kind: EventKind) -> Int { events.filter { $0.kind == kind }.count }
        #expect(count(.budgetCharged) == total.charges)
        #expect(count(.budgetReleased) == total.releases)
        #expect(count(.budgetReserved) == total.charges + total.releases)

        // The ledger's totals, the charges and what the tasks committed agree, under every limit.
        let (start, end) = StressFixture.policy.budget.period.bounds(containing: StressFixture.now)
        let charges = try await ledger.charges(from: start, until: end!, org: nil)
        #expect(charges.count == total.charges)
        #expect(charges.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == total.committed)
        var recomputed: [String: Int64] = [:]
        for charge in charges {
            let context = charge.context
            var keys = [
                "org:\(context.org)", "user:\(context.org)/\(context.user)", "agent:\(context.org)/\(context.agent)",
            ]
            if let session = context.session { keys.append("session:\(session)") }
            for key in keys { recomputed[key, default: 0] += charge.amount.minorUnits }
        }
        let scopes = StressFixture.scopes
        #expect(Set(recomputed.keys).isSubset(of: Set(scopes.map(\.key.description))))
        let usages = try await ledger.usage(of: scopes)
        for (scope, usage) in zip(scopes, usages) {
            let charged = PremiumRequests(thousandths: recomputed[scope.key.description, default: 0]).amount
            #expect(usage.used == charged, "\(scope.key)")
            #expect(usage.reserved == .zero(.premiumRequests), "\(scope.key)")
            #expect(
                PremiumRequests(thousandths: total.committedByScope[scope.key.description, default: 0]).amount
                    == charged)
            if let limit = scope.limit {
                #expect(usage.used <= limit, "\(scope.key) is over its limit")
            }
        }

        // Every fill task ended when the organisation refused it, so the budget is full to within the
        // smallest amount it refused (all fill commits were for the full amount).
        #expect(filled.refusals[BudgetScope.Kind.org.rawValue] == filled.tasks)
        let org = try #require(scopes.first { $0.kind == .org })
        let orgUsed = try #require(usages.first).used
        let limit = try #require(org.limit)
        let smallestRefusal = PremiumRequests(thousandths: try #require(filled.smallestOrgRefusal)).amount
        #expect(orgUsed <= limit)
        #expect(limit - orgUsed < smallestRefusal, "\(orgUsed) used of \(limit); refused \(smallestRefusal)")

        // Each alert threshold reached was announced exactly once.
        let thresholds = events.filter { $0.kind == .budgetAlert }.compactMap { $0.data["threshold"] }
        let reached = [75, 90, 100].filter { orgUsed.minorUnits * 100 / limit.minorUnits >= $0 }.map(String.init)
        #expect(thresholds == reached)
    }
}
