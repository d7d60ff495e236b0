import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerLedgerPostgres

/// The usage report over many charges: grouped in SQL over an index-only range scan.
///
/// A million charges take a while to write, so the suite runs only with
/// `AGENTSCHED_POSTGRES_USAGE_CHARGES` set (to the number of charges, e.g. 1000000).
@Suite(
    "PostgreSQL usage over many charges",
    .enabled(
        if: PostgresTestServer.configured
            && ProcessInfo.processInfo.environment["AGENTSCHED_POSTGRES_USAGE_CHARGES"] != nil,
        "set AGENTSCHED_POSTGRES_USAGE_CHARGES=1000000 (and a PostgreSQL server) to measure usage at scale"))
struct PostgresUsageScaleTests {
    static let count = Int(ProcessInfo.processInfo.environment["AGENTSCHED_POSTGRES_USAGE_CHARGES"] ?? "") ?? 0

    @Test("usage by organisation, user and model over the charges answers fast, with totals equal to the sum")
    func usageAtScale() async throws {
        try await withPostgresLedger { ledger, url in
            try await ledger.registerWorker(Fixture.lease("w1"), at: Fixture.now)
            let count = Self.count
            let start = Fixture.monthStart.ledgerMilliseconds
            // Reservations and charges spread over 28 days, 8 users, 4 models, 2 orgs, 5000 sessions.
            try await PostgresTestServer.execute(
                """
                INSERT INTO reservations (worker, org, user_name, agent, repository, model_requested, model_actual,
                    kind, amount, unit, period_start, state, created_at, resolved_at)
                SELECT 'w1', 'org' || (n % 2), 'user' || (n % 8), 'agent', 'r', 'model' || (n % 4), 'model' || (n % 4),
                    'request', 1000, 'premium-requests', agentsched_at(\(start)), 'committed',
                    agentsched_at(\(start)), agentsched_at(\(start))
                FROM generate_series(1, \(count)) AS n
                """, on: url)
            try await PostgresTestServer.execute(
                """
                INSERT INTO charges (reservation, session, org, user_name, agent, repository, model_requested,
                    model_actual, kind, amount, unit, requests, at, period_start)
                SELECT id, id % 5000, org, user_name, agent, repository, model_requested, model_actual, kind, amount,
                    unit, 1, agentsched_at(\(start) + (id * 2419) % 2419200000), period_start
                FROM reservations
                """, on: url)
            try await PostgresTestServer.execute("VACUUM ANALYZE charges", on: url)
            let query = UsageQuery(
                from: Fixture.monthStart, until: Fixture.monthStart + 86_400 * 28, dimensions: [.org, .user, .model])
            _ = try await ledger.usage(query)
            let clock = ContinuousClock()
            var table = UsageTable.empty
            let elapsed = try await clock.measure { table = try await ledger.usage(query) }
            print("usage over \(count) charges by org, user, model: \(elapsed)")
            #expect(table.modelRequests == count)
            #expect(table.premiumRequests == PremiumRequests(thousandths: Int64(count) * 1000))
            #expect(table.rows.count == 8)
            #expect(table.sessions == min(count, 5000))
            let byDay = try await clock.measure {
                _ = try await ledger.usage(
                    UsageQuery(
                        from: Fixture.monthStart, until: Fixture.monthStart + 86_400 * 28, dimensions: [.day, .session])
                )
            }
            print("usage over \(count) charges by day and session: \(byDay)")
            #expect(elapsed < .seconds(1))
        }
    }
}
