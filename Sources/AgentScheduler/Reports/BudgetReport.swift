import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What `agentsched budget` prints: every budget scope of each organisation in its current period.
///
/// Per organisation: its budget; each user with an allowance — the users the policy names, and any
/// other user with spend or an open reservation in the period (under the default allowance); and each
/// agent with a cap. Scopes are computed as `BudgetEngine` computes them at `now`, and their figures
/// read with `Ledger.usage(of:)`.
public struct BudgetReport: Sendable, Hashable {
    /// The instant the report describes.
    public var at: Date
    /// Organisation by organisation: the org scope, then users, then agents, each by name.
    public var lines: [BudgetLine]
    /// The budget alerts each organisation crossed in its current period, oldest first.
    public var alerts: [LedgerEvent]

    public init(at: Date, lines: [BudgetLine], alerts: [LedgerEvent] = []) {
        self.at = at
        self.lines = lines
        self.alerts = alerts
    }

    /// Reads the report of `policies` from `ledger` (all figures zero when there is no ledger yet).
    public static func load(
        policies: [OrganizationPolicy], from ledger: (any Ledger)?, now: Date
    ) async throws -> BudgetReport {
        var scopes: [BudgetScope] = []
        var alerts: [LedgerEvent] = []
        let open = try await ledger?.openReservations() ?? []
        for policy in policies.sorted(by: { $0.org < $1.org }) {
            let org = ReportScopes.org(policy, at: now)
            var users = Set(policy.users.keys)
            if let ledger {
                let spenders = try await ledger.usageRows(
                    UsageQuery(
                        from: org.periodStart, until: org.periodEnd ?? .distantFuture, org: policy.org,
                        dimensions: [.user]))
                users.formUnion(spenders.map { $0.values[0] })
            }
            users.formUnion(
                open.filter { $0.context.org == policy.org && $0.periodStart == org.periodStart }.map(\.context.user))
            scopes.append(org)
            alerts += try await ledger?.alerts(org: policy.org, since: org.periodStart, after: 0) ?? []
            scopes += users.sorted().map { ReportScopes.user($0, in: policy, at: now) }
            scopes += policy.agents.filter { $0.value != nil }.keys.sorted().map {
                ReportScopes.agent($0, in: policy, at: now)
            }
        }
        return BudgetReport(at: now, lines: try await BudgetLine.load(scopes, from: ledger), alerts: alerts)
    }

    /// Aligned columns: scope, limit, used, reserved, remaining, percent, reset time, in each
    /// scope's unit (a UNIT column when some organisation bills in AI credits). Under credits,
    /// RESERVED is the worst case of the requests in flight.
    public func table() -> String {
        let showsUnit = lines.contains { $0.scope.unit != .premiumRequests }
        var table = TextTable(
            headers: ["SCOPE"] + (showsUnit ? ["UNIT"] : [])
                + ["LIMIT", "USED", "RESERVED", "REMAINING", "PERCENT", "RESETS AT"],
            alignments: [.left] + (showsUnit ? [.left] : []) + [.right, .right, .right, .right, .right, .left])
        for line in lines {
            table.append(
                [line.scope.key.description] + (showsUnit ? [line.scope.unit.rawValue] : []) + [
                    line.limit?.reported ?? "unlimited", line.usage.used.reported, line.usage.reserved.reported,
                    line.remaining?.reported ?? "-", line.percent.map { "\($0)%" } ?? "-",
                    line.resetsAt.map(ReportTime.iso) ?? "never",
                ])
        }
        var text = table.render()
        if showsUnit { text += "\nUnder ai-credits, RESERVED is the worst case of the requests in flight." }
        guard !alerts.isEmpty else { return text }
        let alertLines = alerts.compactMap { event in event.alertText.map { "  \(ReportTime.iso(event.at))  \($0)" } }
        return text + "\nAlerts this period:\n" + alertLines.joined(separator: "\n")
    }

    /// `{"unit": "premium-requests" (or "ai-credits", or "mixed"), "at": ISO, "budgets": [{"scope", "limit", "used", "reserved",
    /// "remaining", "percent", "resets_at"}]}`, with `null` for unlimited and never, and
    /// `"alerts": [{"org", "threshold", "used", "limit", "at"}]` when the period has any.
    public func json() throws -> String {
        try StructuredOutput.json(JSON(report: self))
    }

    private struct JSON: Encodable {
        var report: BudgetReport

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            let units = Set(report.lines.map(\.scope.unit))
            try container.encode(units.count > 1 ? "mixed" : (units.first ?? .premiumRequests).rawValue, forKey: "unit")
            try container.encode(ReportTime.iso(report.at), forKey: "at")
            try container.encode(
                report.lines.map { BudgetLine.JSON(line: $0, includesPercent: true) }, forKey: "budgets")
            // Only when there are any, so readers of the older shape see no change.
            guard !report.alerts.isEmpty else { return }
            try container.encode(
                report.alerts.compactMap { event -> [String: String]? in
                    guard case .budgetAlert(let threshold, let used, let limit) = event.payload else { return nil }
                    return [
                        "org": event.org ?? "", "threshold": "\(threshold)", "used": used.description,
                        "limit": limit.description, "at": ReportTime.iso(event.at),
                    ]
                }, forKey: "alerts")
        }
    }
}
