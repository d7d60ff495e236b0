import Synchronization

/// Fires once with the reason a connection ended; any number of tasks can wait for it.
///
/// The MCP SDK's client leaves requests pending when its transport's stream ends, so a call races
/// its answer against this signal to fail at once when the server exits.
final class ClosureSignal: Sendable {
    private struct State {
        var reason: MCPTransportError?
        var waiters: [UInt64: CheckedContinuation<MCPTransportError, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Records `reason` (the first one wins) and wakes every waiter.
    func fire(_ reason: MCPTransportError) {
        let waiters = state.withLock { state -> [CheckedContinuation<MCPTransportError, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// The reason, once fired; `nil` before.
    var reason: MCPTransportError? { state.withLock { $0.reason } }

    /// Waits for the signal; a cancelled wait returns `.closed` at once.
    func wait() async -> MCPTransportError {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> MCPTransportError? in
                    if let reason = state.reason { return reason }
                    if Task.isCancelled { return .closed }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: .closed)
        }
    }
}
