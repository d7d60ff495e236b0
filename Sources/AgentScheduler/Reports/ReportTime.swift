import Foundation

/// The dates and instants reports read and write: `YYYY-MM`, `YYYY-MM-DD` and ISO 8601 instants, all UTC.
///
/// Parsing is strict (Foundation's ISO 8601 parser accepts `25:00` and February 30th): every field is
/// checked against the calendar.
public enum ReportTime {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `YYYY-MM`: the first of that month at 00:00:00Z.
    public static func month(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = number(parts[0]),
            let month = number(parts[1])
        else { return nil }
        return date(year: year, month: month, day: 1)
    }

    /// `YYYY-MM-DD`: that day at 00:00:00Z.
    public static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = number(parts[0]), let month = number(parts[1]), let day = number(parts[2])
        else { return nil }
        return date(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, optional fraction of a second, then `Z` or `±HH:MM`.
    public static func instant(_ text: String) -> Date? {
        guard let separator = text.firstIndex(of: "T"), let day = day(String(text[..<separator])) else { return nil }
        var rest = text[text.index(after: separator)...]
        guard rest.count >= 9 else { return nil }
        let clock = rest.prefix(8).split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = number(clock[0]),
            let minute = number(clock[1]), let second = number(clock[2]), hour < 24, minute < 60, second < 60
        else { return nil }
        rest = rest.dropFirst(8)
        var milliseconds = 0
        if rest.first == "." {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9 else { return nil }
            milliseconds = number((digits + "00").prefix(3))!
            rest = rest.dropFirst(1 + digits.count)
        }
        var offset = 0
        if rest == "Z" {
            offset = 0
        } else if rest.count == 6, let sign = rest.first, sign == "+" || sign == "-" {
            let zone = rest.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard zone.count == 2, zone.allSatisfy({ $0.count == 2 }), let hours = number(zone[0]),
                let minutes = number(zone[1]), hours < 24, minutes < 60
            else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        let seconds = hour * 3600 + minute * 60 + second - offset
        return day.addingTimeInterval(TimeInterval(seconds) + TimeInterval(milliseconds) / 1000)
    }

    /// An instant as ISO 8601 in UTC: `2026-11-01T00:00:00Z`, with milliseconds only when there are any.
    public static func iso(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        if milliseconds % 1000 == 0 { return date.formatted(.iso8601) }
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `YYYY-MM-DD` of the UTC day that contains `date`.
    public static func dayText(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.year!)-\(two(parts.month!))-\(two(parts.day!))"
    }

    /// The start (00:00:00Z) of the UTC day that contains `date`.
    public static func startOfDay(_ date: Date) -> Date {
        calendar.startOfDay(for: date)
    }

    private static func date(year: Int, month: Int, day: Int) -> Date? {
        guard year >= 1, (1...12).contains(month), day >= 1 else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return date
    }

    private static func number(_ digits: some StringProtocol) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
