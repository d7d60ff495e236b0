import AgentSchedulerLedger
import AgentSchedulerRuntime
import Synchronization

/// The sessions a `run` process is running now, with the means to stop and steer each: shared by
/// the control loop and the graceful-shutdown handler, which may run on any thread.
final class RunningSessions: Sendable {
    struct Entry: Sendable {
        var signal: StopSignal
        var inbox: SteeringInbox
        var billing: SessionBilling
    }

    private let entries = Mutex<[SessionID: Entry]>([:])
    private let drainingFlag = Mutex(false)

    /// Whether the process is shutting down: nothing new starts.
    var isDraining: Bool { drainingFlag.withLock { $0 } }

    /// Starts the shutdown: every running session is asked to stop at a safe point as `interrupted`.
    func drain() {
        drainingFlag.withLock { $0 = true }
        stopAll(.draining)
    }

    var count: Int { entries.withLock { $0.count } }
    var ids: Set<SessionID> { entries.withLock { Set($0.keys) } }

    func add(_ session: SessionID, _ entry: Entry) {
        entries.withLock { $0[session] = entry }
    }

    func remove(_ session: SessionID) {
        _ = entries.withLock { $0.removeValue(forKey: session) }
    }

    func entry(_ session: SessionID) -> Entry? {
        entries.withLock { $0[session] }
    }

    /// Asks every running session to stop.
    func stopAll(_ reason: StopReason) {
        for entry in entries.withLock({ Array($0.values) }) { entry.signal.fire(reason) }
    }
}
