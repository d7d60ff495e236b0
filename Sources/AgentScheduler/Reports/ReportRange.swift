import AgentSchedulerCore
import Foundation

/// The span of time a usage report covers: charges at or after `from` and before `until`.
public struct ReportRange: Sendable, Hashable {
    public var from: Date
    /// Exclusive.
    public var until: Date

    public init(from: Date, until: Date) {
        self.from = from
        self.until = until
    }

    /// The calendar month (UTC) that contains `date`.
    public static func month(containing date: Date) -> ReportRange {
        let bounds = BudgetPolicy.Period.monthly.bounds(containing: date)
        return ReportRange(from: bounds.start, until: bounds.end!)
    }

    /// The range the command-line options name.
    ///
    /// - `--period YYYY-MM`: that month;
    /// - `--since D [--until D]`: a date `YYYY-MM-DD` is its midnight UTC, and `--until`'s date includes
    ///   that whole day; an ISO 8601 instant is exact (and `--until`'s is the exclusive end). Without
    ///   `--until`, the range runs to `now`;
    /// - none of them: the month that contains `now`.
    ///
    /// Throws `ReportInputError`.
    public static func parse(period: String?, since: String?, until: String?, now: Date) throws -> ReportRange {
        if let period {
            guard since == nil, until == nil else { throw ReportInputError.periodWithRange }
            guard let start = ReportTime.month(period) else { throw ReportInputError.badMonth(period) }
            return month(containing: start)
        }
        guard let since else {
            if until != nil { throw ReportInputError.untilWithoutSince }
            return month(containing: now)
        }
        guard let from = ReportTime.day(since) ?? ReportTime.instant(since) else {
            throw ReportInputError.badDate(option: "--since", text: since)
        }
        var end = now
        if let until {
            if let day = ReportTime.day(until) {
                end = day.addingTimeInterval(86_400)
            } else if let instant = ReportTime.instant(until) {
                end = instant
            } else {
                throw ReportInputError.badDate(option: "--until", text: until)
            }
        }
        guard end >= from else {
            throw ReportInputError.untilBeforeSince(since: since, until: until ?? ReportTime.iso(now))
        }
        return ReportRange(from: from, until: end)
    }
}
