import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerLedger

@Suite("Ledger writes and leases under task cancellation")
struct CancellationTests {
    static let catalog = ModelCatalog(
        defaultModel: "m", models: [ModelDefinition(name: "m", provider: .openai, multiplier: PremiumRequests(1))])

    @Test(
        "a cancelled task still releases its reservation, so nothing stays reserved", arguments: LedgerEngine.available)
    func cancelledTaskReleases(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))
            try await ledger.registerWorker(
                WorkerLease(id: "w", pid: 1, host: "h", expiresAt: clock.now() + 60), at: clock.now())
            var policy = OrganizationPolicy(org: "acme", source: "test")
            policy.budget.limit = PremiumRequests(5).amount
            let engine = BudgetEngine(ledger: ledger, catalog: Self.catalog, clock: clock, worker: "w")
            let spend = Spend(
                policy: policy, session: nil, user: "alice", agent: "a", repository: "acme/x", model: "m",
                kind: .request)
            guard case .reserved(let reservation) = try await engine.reserve(spend) else {
                Issue.record("the first reservation should fit")
                return
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    withUnsafeCurrentTask { $0?.cancel() }
                    #expect(Task.isCancelled)
                    try await engine.release(reservation, reason: "cancelled")
                }
                try await group.waitForAll()
            }
            #expect(try await ledger.openReservations().isEmpty)
            let usage = try await ledger.usage(of: BudgetEngine.scopes(for: spend, at: clock.now()))
            #expect(usage.allSatisfy { $0 == .zero(.premiumRequests) })
        }
    }

    @Test(
        "cancelling a lease keeper retires the lease: it can no longer be renewed or reclaimed",
        arguments: LedgerEngine.available)
    func keeperRetiresOnCancel(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let keeper = LeaseKeeper(
                ledger: ledger, worker: "keeper", duration: .seconds(30), renewEvery: .milliseconds(5),
                sleepClock: ContinuousClock())
            try await keeper.register()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await keeper.run() }
                try await Task.sleep(for: .milliseconds(30))
                group.cancelAll()
                try await group.waitForAll()
            }
            await #expect(throws: LedgerError.leaseLost(worker: "keeper")) {
                try await ledger.renewLease(worker: "keeper", until: Date() + 60, at: Date())
            }
            let report = try await ledger.reclaimExpiredLeases(now: Date() + 3600)
            #expect(report.isEmpty)
            let kinds = try await ledger.events(session: nil, after: 0).map(\.kind)
            #expect(kinds == [.workerStarted, .workerRetired])
        }
    }
}
