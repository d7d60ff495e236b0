import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import PostgresNIO
import Testing

@testable import AgentSchedulerLedgerPostgres

/// Runs `body` with a migrated ledger on a fresh database (dropped afterwards) and that database's URL.
func withPostgresLedger<T: Sendable>(
    timeSource: PostgresLedger.TimeSource = .caller, _ body: (PostgresLedger, String) async throws -> T
) async throws -> T {
    try await PostgresTestServer.withDatabase { url in
        let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
        return try await PostgresLedger.withLedger(
            configuration, timeSource: timeSource, maximumConnections: 4, connectionTimeout: .seconds(120)
        ) {
            ledger in
            try await body(ledger, url)
        }
    }
}

/// The fixed instants and fixtures the PostgreSQL tests spend against.
enum Fixture {
    /// A Thursday, noon UTC.
    static let now = Date(timeIntervalSince1970: 1_773_316_800)
    static let monthStart = Date(timeIntervalSince1970: 1_772_323_200)

    static func session(
        org: String = "acme", repository: String = "acme/webapp", issue: Int = 1, assigner: String = "alice",
        priority: Int = 0
    ) -> NewSession {
        NewSession(
            org: org, repository: repository, issue: issue, title: "Issue \(issue)", agent: "implementer",
            assigner: assigner, model: "claude-sonnet-4.5", priority: priority)
    }

    /// The organisation, user and agent scopes of `org` with an organisation budget of `limit`.
    static func scopes(org: String = "acme", user: String = "alice", limit: Amount?) -> [BudgetScope] {
        [
            BudgetScope(kind: .org, name: org, limit: limit, periodStart: monthStart, periodEnd: nil),
            BudgetScope(kind: .user, name: "\(org)/\(user)", limit: nil, periodStart: monthStart, periodEnd: nil),
            BudgetScope(kind: .agent, name: "\(org)/implementer", limit: nil, periodStart: monthStart, periodEnd: nil),
        ]
    }

    static func request(
        _ amount: Amount, scopes: [BudgetScope], worker: WorkerID = "w1", session: SessionID? = nil, at: Date = now
    ) -> ReservationRequest {
        ReservationRequest(
            context: ChargeContext(
                session: session, org: scopes[0].name, user: "alice", agent: "implementer", repository: "acme/webapp",
                requestedModel: "claude-sonnet-4.5", kind: .request),
            amount: amount, scopes: scopes, worker: worker, at: at)
    }

    static func lease(_ id: WorkerID, at: Date = now, seconds: TimeInterval = 3600) -> WorkerLease {
        WorkerLease(id: id, pid: 1, host: "test", expiresAt: at + seconds)
    }
}

/// `n` premium requests.
func premium(_ n: Int64) -> Amount { Amount(.premiumRequests, minorUnits: n * 1000) }
