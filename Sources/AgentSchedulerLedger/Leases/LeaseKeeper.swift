import AgentSchedulerCore
import Foundation
import Logging

/// Keeps one worker's lease fresh for as long as `run()` runs.
///
/// A worker registers its lease, then renews it every `renewEvery` so that it never comes within
/// `duration - renewEvery` of expiring. When the process dies (even by `kill -9`) renewals stop,
/// the lease expires, and any other process's `reclaimExpiredLeases` releases the worker's
/// reservations and interrupts its sessions. Cancelling `run()` retires the lease cleanly.
/// If another process reclaimed the lease first (the worker stalled past its expiry), `run()`
/// throws `LedgerError.leaseLost`, and the worker must stop spending.
public struct LeaseKeeper<SleepClock: Clock>: Sendable where SleepClock.Duration == Duration {
    public var ledger: any Ledger
    public var worker: WorkerID
    public var duration: Duration
    public var renewEvery: Duration
    public var wallClock: any WallClock
    public var sleepClock: SleepClock
    let logger = Logger(label: "agentsched.lease")

    public init(
        ledger: any Ledger, worker: WorkerID, duration: Duration = .seconds(30), renewEvery: Duration = .seconds(10),
        wallClock: any WallClock = SystemWallClock(), sleepClock: SleepClock
    ) {
        self.ledger = ledger
        self.worker = worker
        self.duration = duration
        self.renewEvery = renewEvery
        self.wallClock = wallClock
        self.sleepClock = sleepClock
    }

    /// Registers the lease (with this process's id and host name), so reservations can be made under it.
    public func register() async throws {
        let now = wallClock.now()
        try await ledger.registerWorker(
            WorkerLease(
                id: worker, pid: ProcessInfo.processInfo.processIdentifier,
                host: ProcessInfo.processInfo.hostName, expiresAt: now + duration.timeInterval),
            at: now)
    }

    /// Renews until cancelled, then retires the lease.
    public func run() async throws {
        do {
            while true {
                try await sleepClock.sleep(for: renewEvery)
                let now = wallClock.now()
                try await ledger.renewLease(worker: worker, until: now + duration.timeInterval, at: now)
            }
        } catch is CancellationError {
            try await ledger.retireWorker(worker, at: wallClock.now())
            logger.debug("lease retired", metadata: ["worker": "\(worker)"])
        }
    }
}

extension Duration {
    /// Seconds, as `Date` arithmetic wants them.
    var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
