import Synchronization

/// Holds a fake model server's answers while closed: each request waits, after its step was taken
/// and its latency passed, until the gate opens (or its task is cancelled).
///
/// Open unless closed; opening releases every waiting answer at once.
final class AnswerGate: Sendable {
    private struct State {
        var isClosed = false
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    /// Makes answers wait from now on.
    func close() {
        state.withLock { $0.isClosed = true }
    }

    /// Releases every waiting answer, and lets later ones through.
    func open() {
        let waiting = state.withLock { state in
            state.isClosed = false
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// The number of answers waiting now.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Returns at once while open; otherwise when the gate opens or the task is cancelled.
    func pass() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let passes = state.withLock { state in
                    guard state.isClosed, !Task.isCancelled else { return true }
                    state.waiting[id] = continuation
                    return false
                }
                if passes { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
