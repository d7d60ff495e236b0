import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What `agentsched usage` prints: charges in a range grouped by the asked dimensions, their totals,
/// and the organisations' budgets in the current period.
///
/// A pure function of the ledger (DESIGN §5.7): the rows come from `Ledger.usageRows`, and the totals'
/// model requests, premium requests, credits and tokens are the sums of the rows, so they reconcile
/// with the charges exactly. Premium requests and credits are separate columns, never added.
public struct UsageReport: Sendable, Hashable {
    public var range: ReportRange
    public var dimensions: [UsageDimension]
    public var rows: [UsageRow]
    public var totals: UsageTotals
    /// The organisation budgets of the report's organisations, in the period that contains the clock's now.
    public var budgets: [BudgetLine]
    /// The units a table shows columns for: those spent in, else the organisations' one unit.
    public var units: Set<BillingUnit>
    /// The billing units of the report's organisations.
    public var billingUnits: Set<BillingUnit>

    /// A report of `rows`; `sessions` is the count of distinct sessions across all of them.
    public init(
        range: ReportRange, dimensions: [UsageDimension], rows: [UsageRow], sessions: Int, budgets: [BudgetLine] = [],
        units: Set<BillingUnit> = []
    ) {
        self.range = range
        self.dimensions = dimensions
        self.rows = rows
        self.budgets = budgets
        totals = UsageTotals(
            sessions: sessions, modelRequests: rows.reduce(0) { $0 + $1.modelRequests },
            premiumRequests: rows.reduce(.zero) { $0 + $1.premiumRequests },
            aiCredits: rows.reduce(.zero) { $0 + $1.aiCredits }, tokens: rows.reduce(.zero) { $0 + $1.tokens })
        // The units spent in; with nothing spent, the organisations' unit when they share one.
        var spent: Set<BillingUnit> = []
        if rows.contains(where: { $0.premiumRequests != .zero || ($0.modelRequests > 0 && $0.tokens == .zero) }) {
            spent.insert(.premiumRequests)
        }
        if totals.aiCredits != .zero || totals.tokens != .zero { spent.insert(.aiCredits) }
        self.units = !spent.isEmpty ? spent : units.count == 1 ? units : [.premiumRequests]
        self.billingUnits = units
    }

    /// Reads the report from `ledger` (an empty report when there is no ledger yet).
    ///
    /// `policies` are the workspace's; the budgets are those of `request.org`, or of every policy.
    public static func load(
        _ request: UsageRequest, from ledger: (any Ledger)?, policies: [OrganizationPolicy], now: Date
    ) async throws -> UsageReport {
        let range = request.range
        let query = UsageQuery(from: range.from, until: range.until, org: request.org, dimensions: request.dimensions)
        let table = try await ledger?.usage(query) ?? .empty
        let selected = policies.filter { request.org == nil || $0.org == request.org }
        let scopes = selected.map { ReportScopes.org($0, at: now) }
        return UsageReport(
            range: range, dimensions: request.dimensions, rows: table.rows, sessions: table.sessions,
            budgets: try await BudgetLine.load(scopes, from: ledger), units: Set(selected.map(\.billing)))
    }
}
