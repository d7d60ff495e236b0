/// Where a session stands (DESIGN §4, binding).
///
/// `queued → running → completed | failed | cancelled | timed-out`; `queued → denied`;
/// `queued → blocked → queued`; `running → throttled → running`; `running → interrupted → queued`.
/// Beyond DESIGN §4: any waiting or active state may be cancelled; `running → blocked` when the
/// budget runs out mid-session; an interrupted session resumes (`→ running`), or is blocked or
/// denied when it is admitted again.
public enum SessionState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running, completed, failed, cancelled
    case timedOut = "timed-out"
    case denied, blocked, throttled, interrupted

    /// The states a session may move to from this one.
    public var successors: Set<SessionState> {
        switch self {
        case .queued: [.running, .denied, .blocked, .cancelled]
        case .blocked: [.queued, .cancelled]
        case .running: [.completed, .failed, .cancelled, .timedOut, .throttled, .interrupted, .blocked]
        case .throttled: [.running, .failed, .cancelled, .timedOut, .interrupted]
        case .interrupted: [.queued, .running, .blocked, .denied, .cancelled]
        case .completed, .failed, .cancelled, .timedOut, .denied: []
        }
    }

    /// A session in a final state never changes again.
    public var isFinal: Bool { successors.isEmpty }

    /// Whether a worker is working on it (its reservations belong to that worker's lease).
    public var isActive: Bool { self == .running || self == .throttled }
}
