import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// `usage --format github-credits-csv`: the charges in AI credits in the columns of GitHub's
/// usage-based billing report (its detailed usage report, docs.github.com "Billing reports
/// reference"), one row per day, user, organisation, repository and model that ran.
///
/// `product` is `copilot` and `sku` is `copilot_ai_credits` (GitHub's SKUs are snake case, as
/// `copilot_premium_request`); `quantity` is the credits spent, exactly; `unit_type` is
/// `ai-credits`; `applied_cost_per_quantity` is one credit's price, US$0.01; `gross_amount` is
/// quantity × that, exactly; agentsched grants no discount, so `net_amount` is the gross.
public struct GitHubCreditsReport: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var day: Date
        public var user: String
        public var org: String
        public var repository: String
        public var model: String
        public var credits: AICredits
    }

    public static let header = [
        "date", "username", "product", "sku", "model", "quantity", "unit_type", "applied_cost_per_quantity",
        "gross_amount", "discount_amount", "net_amount", "organization", "repository",
    ]

    /// Sorted by day, user, model, organisation, then repository.
    public var rows: [Row]

    public init(rows: [Row]) {
        self.rows = rows
    }

    /// The report of the credit charges among `charges` in `range` (premium-request charges are
    /// left out: `github-csv` has them).
    public init(charges: [Charge], range: ReportRange) {
        struct Group: Hashable {
            var day: Date
            var user: String
            var org: String
            var repository: String
            var model: String
        }
        var groups: [Group: AICredits] = [:]
        for charge in charges where charge.at >= range.from && charge.at < range.until {
            guard let credits = charge.amount.aiCredits else { continue }
            let context = charge.context
            let group = Group(
                day: ReportTime.startOfDay(charge.at), user: context.user, org: context.org,
                repository: context.repository, model: context.actualModel)
            groups[group, default: .zero] += credits
        }
        rows = groups.keys.sorted {
            ($0.day, $0.user, $0.model, $0.org, $0.repository) < ($1.day, $1.user, $1.model, $1.org, $1.repository)
        }
        .map { group in
            Row(
                day: group.day, user: group.user, org: group.org, repository: group.repository, model: group.model,
                credits: groups[group]!)
        }
    }

    /// Reads the charges of `request` from `ledger`.
    public static func load(_ request: UsageRequest, from ledger: (any Ledger)?) async throws -> GitHubCreditsReport {
        guard let ledger else { return GitHubCreditsReport(rows: []) }
        let charges = try await ledger.charges(from: request.range.from, until: request.range.until, org: request.org)
        return GitHubCreditsReport(charges: charges, range: request.range)
    }

    /// RFC 4180 CSV under the header; amounts exact, dates `YYYY-MM-DD` (UTC).
    public func csv() -> String {
        CSV.text(
            [Self.header]
                + rows.map { row in
                    let dollars = FixedPoint.text(row.credits.nanocredits, decimals: AICredits.decimals + 2)
                    return [
                        ReportTime.dayText(row.day), row.user, "copilot", "copilot_ai_credits", row.model,
                        row.credits.description, "ai-credits", "0.01", dollars, "0", dollars, row.org, row.repository,
                    ]
                })
    }
}
