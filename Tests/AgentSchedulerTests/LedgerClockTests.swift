import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@Suite("The ledger's clock: budget periods on the database's time")
struct LedgerClockTests {
    /// A ledger whose clock runs `skew` seconds from this host's, as a database server's may.
    struct SkewedLedger: LeaseLedger {
        var skew: TimeInterval

        struct Unused: Error {}

        func now() async throws -> Date { Date() + skew }
        func registerWorker(_ lease: WorkerLease, at: Date) async throws { throw Unused() }
        func renewLease(worker: WorkerID, until: Date, at: Date) async throws { throw Unused() }
        func retireWorker(_ worker: WorkerID, at: Date) async throws { throw Unused() }
        func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport { throw Unused() }
    }

    @Test("after measuring, the clock reads the ledger's time, ahead or behind", arguments: [3600.0, -90.0, 0.0])
    func followsTheLedger(skew: TimeInterval) async throws {
        let clock = LedgerClock()
        #expect(abs(clock.now().timeIntervalSinceNow) < 1, "the host's clock before the first measurement")
        try await clock.synchronize(with: SkewedLedger(skew: skew))
        #expect(abs(clock.measuredOffset - skew) < 1)
        #expect(abs(clock.now().timeIntervalSince(Date() + skew)) < 1)
    }

    @Test("a period is computed on the ledger's clock: a host an hour behind still spends in the new month")
    func periodsFollowTheLedger() async throws {
        let clock = LedgerClock()
        // This host reads 23:30 on the last day of a month; the database, an hour ahead, is in the next.
        let hostNow = try #require(ISO8601DateFormatter().date(from: "2026-01-31T23:30:00Z"))
        try await clock.synchronize(with: SkewedLedger(skew: 3600 - Date().timeIntervalSince(hostNow)))
        let (start, _) = BudgetPolicy.Period.monthly.bounds(containing: clock.now())
        #expect(start == ISO8601DateFormatter().date(from: "2026-02-01T00:00:00Z"))
    }
}
