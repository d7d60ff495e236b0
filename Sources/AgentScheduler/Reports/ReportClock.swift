import AgentSchedulerCore
import Foundation

/// The clock reports read: the system's, or the instant in `AGENTSCHED_NOW` (for tests and for
/// reproducing a report as it stood at some moment).
public enum ReportClock {
    /// The environment variable that fixes the time.
    public static let variable = "AGENTSCHED_NOW"

    /// A clock standing at `AGENTSCHED_NOW` (an ISO 8601 instant, or a date meaning its midnight UTC)
    /// when it is set, else the system clock. Throws `ReportInputError.badNow` for other text.
    public static func clock(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws
        -> any WallClock
    {
        guard let text = environment[variable], !text.isEmpty else { return SystemWallClock() }
        guard let date = ReportTime.instant(text) ?? ReportTime.day(text) else {
            throw ReportInputError.badNow(text)
        }
        return ManualWallClock(date)
    }
}
