import AgentSchedulerLedger

/// The board's groups of sessions, in the order they are shown: those being worked on, those
/// waiting, those done.
public enum SessionGroup: String, Sendable, Hashable, CaseIterable {
    /// `running` and `throttled`.
    case active
    /// `queued`, `blocked` and `interrupted`.
    case waiting
    /// Every final state: `completed`, `failed`, `cancelled`, `timed-out`, `denied`.
    case finished

    /// The group a session in `state` is shown in.
    public init(_ state: SessionState) {
        switch state {
        case .running, .throttled: self = .active
        case .queued, .blocked, .interrupted: self = .waiting
        case .completed, .failed, .cancelled, .timedOut, .denied: self = .finished
        }
    }

    /// The group's heading.
    public var title: String {
        switch self {
        case .active: "Running"
        case .waiting: "Waiting"
        case .finished: "Finished"
        }
    }

    /// The states of the group, as the script reads them from `data-states`.
    public var states: [SessionState] {
        SessionState.allCases.filter { SessionGroup($0) == self }
    }
}
