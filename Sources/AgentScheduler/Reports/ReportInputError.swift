import AgentSchedulerLedger

/// Why the options of `usage` or `budget` do not make a report: each is a bad command line (exit 64).
public enum ReportInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--period` together with `--since` or `--until`.
    case periodWithRange
    /// `--until` without `--since`.
    case untilWithoutSince
    /// `--period` that is not `YYYY-MM`.
    case badMonth(String)
    /// `--since` or `--until` that is neither `YYYY-MM-DD` nor an ISO 8601 instant.
    case badDate(option: String, text: String)
    case untilBeforeSince(since: String, until: String)
    /// A `--by` name that is no dimension, with a "did you mean" hint when one is close.
    case unknownDimension(String, hint: String?)
    case repeatedDimension(String)
    /// `--by` with no name, or an empty name between commas.
    case emptyDimension
    /// `AGENTSCHED_NOW` that is not an ISO 8601 instant.
    case badNow(String)

    public var description: String {
        switch self {
        case .periodWithRange:
            "--period cannot be combined with --since or --until"
        case .untilWithoutSince:
            "--until needs --since"
        case .badMonth(let text):
            "--period '\(text)' is not a month; write YYYY-MM, e.g. 2026-11"
        case .badDate(let option, let text):
            "\(option) '\(text)' is neither a date (YYYY-MM-DD) nor an ISO 8601 instant (2026-11-03T10:00:00Z)"
        case .untilBeforeSince(let since, let until):
            "--until \(until) is before --since \(since)"
        case .unknownDimension(let name, let hint):
            "unknown dimension '\(name)' in --by\(hint.map { "; \($0)" } ?? "") (one of \(Self.dimensionList))"
        case .repeatedDimension(let name):
            "dimension '\(name)' appears twice in --by"
        case .emptyDimension:
            "--by lists an empty name; write dimensions separated by commas (\(Self.dimensionList))"
        case .badNow(let text):
            "AGENTSCHED_NOW '\(text)' is not an ISO 8601 instant (2026-11-03T10:00:00Z)"
        }
    }

    private static var dimensionList: String {
        UsageDimension.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
