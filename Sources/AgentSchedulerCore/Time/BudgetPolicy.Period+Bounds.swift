import Foundation

extension BudgetPolicy.Period {
    /// The period that contains `date`: from its start (inclusive) to the next start (exclusive);
    /// `none` runs from the epoch and never ends.
    ///
    /// Monthly periods start on the 1st at 00:00:00 UTC, weekly ones on Monday, daily ones at midnight.
    /// Computed with civil-date arithmetic on days since 1970 (every reservation asks).
    public func bounds(containing date: Date) -> (start: Date, end: Date?) {
        let day = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
        func at(_ day: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(day) * 86_400) }
        switch self {
        case .none:
            return (Date(timeIntervalSince1970: 0), nil)
        case .daily:
            return (at(day), at(day + 1))
        case .weekly:
            let monday = day - (day + 3).modulo(7)  // 1970-01-01 was a Thursday
            return (at(monday), at(monday + 7))
        case .monthly:
            let (year, month, _) = CivilDate.from(days: day)
            let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
            return (
                at(CivilDate.days(year: year, month: month, day: 1)),
                at(CivilDate.days(year: next.0, month: next.1, day: 1))
            )
        }
    }
}

/// Proleptic Gregorian dates from and to days since 1970-01-01 (Howard Hinnant's algorithms).
public enum CivilDate {
    /// Year, month (1–12) and day (1–31) of `days` since 1970-01-01.
    public static func from(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a year, month (1–12) and day.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD` of `days` since 1970-01-01.
    public static func text(days: Int64) -> String {
        let (year, month, day) = from(days: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

extension Int64 {
    /// The remainder with the sign of the divisor (`-1 modulo 7 == 6`).
    fileprivate func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
