import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite(
    "PostgreSQL time: in database mode leases, claims and charges follow the server's clock, not the host's",
    .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresTimeTests {
    /// A host whose clock is five hours behind.
    static let skew: TimeInterval = -5 * 3600

    @Test("a caller whose clock is hours off still gets leases, claims and charges in database time")
    func databaseTime() async throws {
        try await withPostgresLedger(timeSource: .database) { ledger, _ in
            let serverNow = try await ledger.now()
            #expect(abs(serverNow.timeIntervalSinceNow) < 60)
            let host = Date() + Self.skew

            // A 60-second lease by the host's clock lasts 60 seconds of the server's.
            try await ledger.registerWorker(
                WorkerLease(id: "w1", pid: 1, host: "skewed", expiresAt: host + 60), at: host)
            // The host thinks it is 10 hours later: by the server's clock the lease is fresh.
            #expect(try await ledger.reclaimExpiredLeases(now: host + 36_000).isEmpty)

            let session = try await ledger.createSession(Fixture.session(), at: host)
            #expect(abs(session.createdAt.timeIntervalSince(serverNow)) < 60)
            let claimed = try await ledger.claim(
                ClaimRequest(worker: "w1", slots: 1, limits: [:], at: host))
            #expect(claimed.map(\.id) == [session.id])
            #expect(abs(claimed[0].updatedAt.timeIntervalSince(serverNow)) < 60)

            let scopes = Fixture.scopes(limit: premium(10))
            guard
                case .reserved(let reservation) = try await ledger.reserve(
                    Fixture.request(premium(1), scopes: scopes, session: session.id, at: host))
            else {
                Issue.record("the reservation should fit")
                return
            }
            #expect(abs(reservation.createdAt.timeIntervalSince(serverNow)) < 60)
            let charge = try await ledger.commit(
                reservation.id, amount: reservation.amount, requests: 1, tokens: .zero, at: host, orgLimit: nil,
                alerts: [], delivering: nil)
            #expect(abs(charge.at.timeIntervalSince(serverNow)) < 60)

            // Renewed for one second of the server's time, then gone, though the host's clock says
            // it is ten hours earlier still.
            try await ledger.renewLease(worker: "w1", until: host + 1, at: host)
            try await Task.sleep(for: .milliseconds(1500))
            let report = try await ledger.reclaimExpiredLeases(now: host - 36_000)
            #expect(report.workers == ["w1"])
        }
    }

    @Test("in caller mode the times given are the times used")
    func callerTime() async throws {
        try await withPostgresLedger(timeSource: .caller) { ledger, _ in
            let then = Date(timeIntervalSince1970: 1_700_000_000.123_9)
            try await ledger.registerWorker(Fixture.lease("w1", at: then, seconds: 60), at: then)
            let session = try await ledger.createSession(Fixture.session(), at: then)
            // Milliseconds, rounded down, as SQLite stores them.
            #expect(session.createdAt == Date(timeIntervalSince1970: 1_700_000_000.123))
            #expect(try await ledger.reclaimExpiredLeases(now: then + 59).isEmpty)
            #expect(try await ledger.reclaimExpiredLeases(now: then + 61).workers == ["w1"])
        }
    }
}
