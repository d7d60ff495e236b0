/// What `requestCancel` did.
public enum CancelOutcome: Sendable, Hashable {
    /// The session waited unclaimed and is now `cancelled`.
    case cancelled(SessionRecord)
    /// A worker holds it; the worker was asked to stop it and will move it to `cancelled`.
    case requested(SessionRecord)
    /// It had already reached a final state; nothing changed.
    case alreadyFinal(SessionRecord)
}
