import Foundation

extension BudgetPolicy.Period {
    /// The period that contains `date`: from its start (inclusive) to the next start (exclusive);
    /// `none` runs from the epoch and never ends.
    ///
    /// Monthly periods start on the 1st at 00:00:00 UTC, weekly ones on Monday, daily ones at midnight.
    public func bounds(containing date: Date) -> (start: Date, end: Date?) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        switch self {
        case .none:
            return (Date(timeIntervalSince1970: 0), nil)
        case .daily:
            let start = calendar.startOfDay(for: date)
            return (start, calendar.date(byAdding: .day, value: 1, to: start))
        case .weekly:
            let day = calendar.startOfDay(for: date)
            let weekday = calendar.component(.weekday, from: day)  // 1 = Sunday … 7 = Saturday
            let start = calendar.date(byAdding: .day, value: -((weekday + 5) % 7), to: day)!
            return (start, calendar.date(byAdding: .day, value: 7, to: start))
        case .monthly:
            let start = calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
            return (start, calendar.date(byAdding: .month, value: 1, to: start))
        }
    }
}
