import AgentSchedulerLedger
import Foundation

extension SessionRecord {
    /// One line for a state change: `12:04:31  session 7  #12 implementer  queued → running (reason)`.
    public func progressLine(from previous: SessionState, at date: Date) -> String {
        let time = date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).time(includingFractionalSeconds: false))
        return "\(time)  session \(id)  \(repository)#\(issue) \(agent)  \(previous.rawValue) → \(state.rawValue)"
            + (reason.map { " (\($0))" } ?? "")
    }
}
