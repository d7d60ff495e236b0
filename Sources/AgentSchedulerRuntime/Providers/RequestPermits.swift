import Synchronization

/// Lets at most `limit` model requests through at once; the rest wait in arrival order, for as long
/// as it takes.
///
/// `HTTPStreamClient` holds a permit for a whole exchange, so AsyncHTTPClient's pool never has to
/// queue a request: a request AsyncHTTPClient queues for a connection fails once it has waited the
/// connect timeout (`getConnectionFromPoolTimeout`), which would turn a busy model into spurious
/// timeouts. A waiter whose task is cancelled stops waiting at once and throws `CancellationError`.
final class RequestPermits: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        /// In arrival order; as long as the sessions waiting on one model, so short.
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit > 0, "RequestPermits: limit must be at least 1")
        state = Mutex(State(available: limit))
    }

    /// Runs `body` holding one permit, waiting for one first when all are taken.
    func withPermit<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async throws {
        let id = state.withLock { state -> UInt64? in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}
