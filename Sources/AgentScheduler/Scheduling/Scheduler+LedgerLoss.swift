import AgentSchedulerLedger
import Foundation

extension Scheduler {
    /// After the ledger failed and every session stopped: retires this worker's lease, which
    /// interrupts the sessions it still holds and releases their reservations in one transaction,
    /// retrying with backoff while the ledger cannot be reached.
    ///
    /// The sessions' own last writes (their `interrupted` state, their releases) failed while the
    /// ledger was unreachable; retiring settles them at the first moment it answers again, each
    /// reservation exactly once (the ledger releases only open ones). It gives up after one lease
    /// duration: by then the lease has expired, and any other `run` reclaims it the same way.
    func retireAfterFault() async {
        let deadline = ContinuousClock.now + options.leaseDuration
        var pause = Duration.milliseconds(250)
        var attempts = 0
        while !Task.isCancelled {
            attempts += 1
            do {
                try await ledger.retireWorker(options.worker, at: clock.now())
                await observer.observe(
                    .notice("the ledger answers again: retired worker \(options.worker), releasing what it held"))
                return
            } catch {
                logger.debug("retiring the lease failed", metadata: ["error": "\(error)"])
                if attempts == 1 {
                    await observer.observe(
                        .notice(
                            "the ledger cannot be reached: retrying to retire worker \(options.worker), for at most "
                                + "\(options.leaseDuration.components.seconds) s"))
                }
            }
            guard ContinuousClock.now + pause < deadline else { return }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }
}
