import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// One organisation's spend per day, in its billing unit: the input of the usage page's chart.
public struct DailySpend: Sendable, Hashable {
    public var org: String
    public var unit: BillingUnit
    /// Day by day, oldest first: `YYYY-MM-DD` (UTC) and what was spent on it (zero for a quiet day).
    public var days: [Day]

    /// A day and its spend.
    public struct Day: Sendable, Hashable {
        /// `YYYY-MM-DD`, UTC.
        public var day: String
        public var amount: Amount

        public init(day: String, amount: Amount) {
            self.day = day
            self.amount = amount
        }
    }

    public init(org: String, unit: BillingUnit, days: [Day]) {
        self.org = org
        self.unit = unit
        self.days = days
    }

    /// Each organisation's spend per day from a usage report grouped by at least `org` and `day`
    /// (`UsageRequest` with `dimensions: [.org, .day]`); empty for a report without both.
    ///
    /// Every day of the report's range is there, quiet days as zero, when the range spans at most
    /// `maxDays` days; otherwise only the days with charges. An organisation is charted in its
    /// policy's unit (`units`), else in the unit it spent in.
    public static func from(
        _ report: UsageReport, units: [String: BillingUnit] = [:], maxDays: Int = 92
    ) -> [DailySpend] {
        guard let orgIndex = report.dimensions.firstIndex(of: .org),
            let dayIndex = report.dimensions.firstIndex(of: .day)
        else { return [] }
        var spent: [String: [String: (PremiumRequests, AICredits)]] = [:]
        for row in report.rows where row.values.count > max(orgIndex, dayIndex) {
            let org = row.values[orgIndex]
            let day = row.values[dayIndex]
            let previous = spent[org, default: [:]][day] ?? (.zero, .zero)
            spent[org, default: [:]][day] = (previous.0 + row.premiumRequests, previous.1 + row.aiCredits)
        }
        let range = allDays(from: report.range.from, until: report.range.until, maxDays: maxDays)
        return spent.keys.sorted().map { org in
            let days = spent[org] ?? [:]
            let unit =
                units[org] ?? (days.values.contains { $0.1 != .zero } ? BillingUnit.aiCredits : .premiumRequests)
            let list = (range ?? days.keys.sorted()).map { day in
                let figures = days[day] ?? (.zero, .zero)
                return Day(day: day, amount: unit == .aiCredits ? figures.1.amount : figures.0.amount)
            }
            return DailySpend(org: org, unit: unit, days: list)
        }
    }

    /// `YYYY-MM-DD` of each UTC day from `from` to the one before `until`; `nil` beyond `maxDays`.
    static func allDays(from: Date, until: Date, maxDays: Int) -> [String]? {
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        var day = calendar.startOfDay(for: from)
        var days: [String] = []
        while day < until {
            guard days.count < maxDays else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            days.append(
                String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return days
    }
}
