import Synchronization

/// Why a running session is being stopped before it ends on its own.
public enum StopReason: Sendable, Hashable {
    /// `sessions cancel` (by the user named, when known): the session ends `cancelled`.
    case cancelled(by: String?)
    /// The `run` process is shutting down (SIGINT, SIGTERM): the session ends `interrupted` and
    /// the next `run` resumes it.
    case draining
}

/// A one-shot signal that asks a session to stop; `wait()` returns once it fires.
///
/// Fired from the scheduler's control loop, awaited beside the session, so the session's task can
/// be cancelled at once. Only the first reason counts.
final class StopSignal: Sendable {
    private struct State {
        var reason: StopReason?
        var waiters: [Int: CheckedContinuation<StopReason?, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The reason it fired for, or `nil` while it has not.
    var reason: StopReason? { state.withLock { $0.reason } }

    /// Fires the signal; later calls change nothing.
    func fire(_ reason: StopReason) {
        let waiters = state.withLock { state -> [CheckedContinuation<StopReason?, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Waits until the signal fires (returning its reason) or the task is cancelled (`nil`).
    func wait() async -> StopReason? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: StopReason?? = state.withLock { state in
                    if let reason = state.reason { return .some(reason) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }
}
