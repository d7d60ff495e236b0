import AgentSchedulerLedger
import Foundation

/// SQLite's busy handler for the ledger: wait for another process's lock with backoff up to a
/// timeout, except on the thread inside `withoutWaiting`, where a busy file fails at once.
///
/// GRDB installs one handler on every connection, readers included; tying "do not wait" to the
/// thread that runs the in-place write keeps readers waiting as they should.
final class BusyWaitPolicy: @unchecked Sendable {
    private let lock = NSLock()
    private var impatientThread: pthread_t?
    private var started: [pthread_t: ContinuousClock.Instant] = [:]
    let timeout: TimeInterval

    init(timeout: TimeInterval) {
        self.timeout = timeout
    }

    /// Runs `body` on this thread with waiting off.
    func withoutWaiting<T>(_ body: () throws -> T) rethrows -> T {
        let thread = pthread_self()
        lock.withLock { impatientThread = thread }
        defer { lock.withLock { impatientThread = nil } }
        return try body()
    }

    /// SQLite's question after `tries` busy attempts on this thread: sleep and try again, or give up.
    func shouldRetry(after tries: Int) -> Bool {
        let thread = pthread_self()
        let now = ContinuousClock.now
        let (impatient, since) = lock.withLock { () -> (Bool, ContinuousClock.Instant) in
            if tries == 0 { started[thread] = now }
            return (impatientThread.map { pthread_equal($0, thread) != 0 } ?? false, started[thread] ?? now)
        }
        guard !impatient, now - since < .seconds(timeout) else { return false }
        usleep(useconds_t(min(1 << min(tries, 5), 20) * 1000))  // 1, 2, 4, … 20 ms
        return true
    }
}
