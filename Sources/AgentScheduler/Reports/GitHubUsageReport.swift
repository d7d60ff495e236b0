import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// Usage in the shape of GitHub's premium request usage report (`usage --format github-csv`):
/// `Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota`, one row per day,
/// user and model.
///
/// The model is the one that ran (the fallback model when one was used). The quota is the user's
/// allowance in their organisation's policy, else the organisation's budget, else none. A row exceeds it
/// when the user's spend in the budget period so far — the charges of the period before the report's
/// range, then the rows in order — is past the quota.
public struct GitHubUsageReport: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// 00:00:00Z of the day.
        public var day: Date
        public var org: String
        public var user: String
        public var model: String
        public var premiumRequests: PremiumRequests
        public var exceedsQuota: Bool
        /// `nil` when the user's spend is unlimited.
        public var quota: PremiumRequests?

        public init(
            day: Date, org: String, user: String, model: String, premiumRequests: PremiumRequests,
            exceedsQuota: Bool, quota: PremiumRequests?
        ) {
            self.day = day
            self.org = org
            self.user = user
            self.model = model
            self.premiumRequests = premiumRequests
            self.exceedsQuota = exceedsQuota
            self.quota = quota
        }
    }

    public static let header = [
        "Timestamp", "User", "Model", "Requests Used", "Exceeds Monthly Quota", "Total Monthly Quota",
    ]

    /// Sorted by day, user, model, then organisation.
    public var rows: [Row]

    public init(rows: [Row]) {
        self.rows = rows
    }

    /// The report of the charges in `range`. `charges` may start earlier — from the start of the budget
    /// period that contains `range.from` — so that a user's earlier spend in the period counts toward
    /// the quota; those earlier charges get no rows.
    public init(charges: [Charge], range: ReportRange, policies: [OrganizationPolicy]) {
        struct Group: Hashable {
            var day: Date
            var org: String
            var user: String
            var model: String
        }
        struct Account: Hashable {
            var org: String
            var user: String
            var period: Date
        }
        let policies = Dictionary(policies.map { ($0.org, $0) }) { first, _ in first }
        func period(of org: String, at date: Date) -> Date {
            (policies[org]?.budget.period ?? .monthly).bounds(containing: date).start
        }
        var spent: [Account: PremiumRequests] = [:]
        var groups: [Group: PremiumRequests] = [:]
        for charge in charges where charge.at < range.until {
            // Premium requests only: credits have their own report (`github-credits-csv`).
            guard let amount = charge.amount.premiumRequests else { continue }
            let context = charge.context
            if charge.at < range.from {
                spent[
                    Account(org: context.org, user: context.user, period: period(of: context.org, at: charge.at)),
                    default: .zero] += amount
            } else {
                let group = Group(
                    day: ReportTime.startOfDay(charge.at), org: context.org, user: context.user,
                    model: context.actualModel)
                groups[group, default: .zero] += amount
            }
        }
        let ordered = groups.keys.sorted {
            ($0.day, $0.user, $0.model, $0.org) < ($1.day, $1.user, $1.model, $1.org)
        }
        rows = ordered.map { group in
            let policy = policies[group.org]
            let quota = policy.flatMap { ($0.allowance(for: group.user) ?? $0.budget.limit)?.premiumRequests }
            let account = Account(org: group.org, user: group.user, period: period(of: group.org, at: group.day))
            spent[account, default: .zero] += groups[group]!
            return Row(
                day: group.day, org: group.org, user: group.user, model: group.model,
                premiumRequests: groups[group]!, exceedsQuota: quota.map { spent[account]! > $0 } ?? false,
                quota: quota)
        }
    }

    /// Reads the charges of `request` (and of the budget periods it starts in) from `ledger`.
    public static func load(
        _ request: UsageRequest, from ledger: (any Ledger)?, policies: [OrganizationPolicy]
    ) async throws -> GitHubUsageReport {
        guard let ledger else { return GitHubUsageReport(rows: []) }
        let range = request.range
        let periodStarts = policies.filter { request.org == nil || $0.org == request.org }.map {
            $0.budget.period.bounds(containing: range.from).start
        }
        let start = min(
            periodStarts.min() ?? range.from, BudgetPolicy.Period.monthly.bounds(containing: range.from).start)
        let charges = try await ledger.charges(from: start, until: range.until, org: request.org)
        return GitHubUsageReport(charges: charges, range: range, policies: policies)
    }

    /// RFC 4180 CSV under GitHub's header; amounts exact, `True`/`False`, an empty quota when unlimited.
    public func csv() -> String {
        CSV.text(
            [Self.header]
                + rows.map { row in
                    [
                        ReportTime.iso(row.day), row.user, row.model, row.premiumRequests.description,
                        row.exceedsQuota ? "True" : "False", row.quota?.description ?? "",
                    ]
                })
    }
}
