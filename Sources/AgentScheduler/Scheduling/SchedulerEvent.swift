import AgentSchedulerCore
import AgentSchedulerLedger

/// What a `run` process reports as it works: for the progress view and the closing summary.
public enum SchedulerEvent: Sendable {
    /// A session moved to a new state (the record as it is now).
    case stateChanged(SessionRecord, from: SessionState)
    /// A running session started a turn or called a tool.
    case activity(session: SessionID, turn: Int, tool: String?)
    /// Premium requests were charged to a session.
    case charged(session: SessionID, org: String, amount: Amount)
    /// Something worth a line of its own: a reclaimed lease, unblocked sessions, a refused message.
    case notice(String)
}

/// Receives a `run`'s events as they happen.
public protocol SchedulerObserver: Sendable {
    func observe(_ event: SchedulerEvent) async
}

/// Ignores every event.
public struct SilentObserver: SchedulerObserver {
    public init() {}
    public func observe(_ event: SchedulerEvent) async {}
}
