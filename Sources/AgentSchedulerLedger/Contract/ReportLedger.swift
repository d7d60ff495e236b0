import AgentSchedulerCore
import Foundation

/// Reports: pure functions of the ledger (DESIGN §5.7).
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol ReportLedger: Sendable {
    /// Charges grouped by the query's dimensions, sorted by them, with their totals: all read from
    /// the ledger as it stood at one instant, so rows and totals always agree.
    func usage(_ query: UsageQuery) async throws -> UsageTable
    /// Every charge in the range, oldest first (for `github-csv` and reconciliation).
    func charges(from: Date, until: Date, org: String?) async throws -> [Charge]
    /// What each of the latest `limit` completed sessions of `agent` that ran on `model` cost in
    /// `unit`, newest first: the history `assign --dry-run` estimates from.
    func completedSessionCosts(agent: String, model: String, unit: BillingUnit, limit: Int) async throws -> [Amount]
}
