import AgentSchedulerCore
import Foundation

/// The memory of agentsched: sessions, their events, budget reservations, charges and worker leases.
///
/// One ledger type conforms to every role; parts that need one role take that role. Every method
/// is one atomic transaction, safe to call from many tasks and many processes at once. Engines keep
/// their SQL to themselves: `SQLiteLedger` (AgentSchedulerLedgerSQLite), the zero-setup default,
/// and `PostgresLedger` (AgentSchedulerLedgerPostgres) for workers on several machines; both pass
/// one contract suite.
public protocol Ledger:
    SessionLedger, QueueLedger, EventLedger, BudgetLedger, LeaseLedger, ReportLedger, PullRequestLedger,
    WebhookLedger, MaintenanceLedger, ConversationLedger
{}

extension ReportLedger {
    /// The rows of `usage(_:)`.
    public func usageRows(_ query: UsageQuery) async throws -> [UsageRow] {
        try await usage(query).rows
    }
}

extension BudgetLedger {
    /// Commits a charge that delivers nothing: a model request's or a session's.
    public func commit(
        _ reservation: ReservationID, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int]
    ) async throws -> Charge {
        try await commit(
            reservation, amount: amount, requests: requests, tokens: tokens, at: at, orgLimit: orgLimit,
            alerts: alerts, delivering: nil)
    }
}
