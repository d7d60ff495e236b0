import AgentSchedulerLedger
import Foundation

/// How a `run` process works.
public struct SchedulerOptions: Sendable, Hashable {
    /// Sessions this process runs at once, at most.
    public var concurrency: Int
    /// Return once nothing queued can be admitted and nothing runs here, instead of waiting for work.
    public var untilIdle: Bool
    /// How often the process looks for new work, cancel requests and steering messages.
    public var pollInterval: Duration
    /// How often it reclaims dead workers' leases and looks for budget that unblocks sessions.
    public var housekeepingInterval: Duration
    /// How long the process's lease lasts without renewal; a killed process's sessions are resumed
    /// by another once it expires.
    public var leaseDuration: Duration
    /// This process's worker id in the ledger.
    public var worker: WorkerID

    /// Free slots that make a claim right away; fewer wait for the next poll (a twentieth of the
    /// concurrency, at least one, so small runs refill at once).
    public var claimBatch: Int { max(1, concurrency / 20) }

    public init(
        concurrency: Int = 4, untilIdle: Bool = false, pollInterval: Duration = .milliseconds(250),
        housekeepingInterval: Duration = .seconds(2), leaseDuration: Duration = .seconds(30),
        worker: WorkerID = SchedulerOptions.newWorkerID()
    ) {
        self.concurrency = concurrency
        self.untilIdle = untilIdle
        self.pollInterval = pollInterval
        self.housekeepingInterval = housekeepingInterval
        self.leaseDuration = leaseDuration
        self.worker = worker
    }

    /// `HOST-PID-RANDOM`: unique across the processes sharing a ledger.
    public static func newWorkerID() -> WorkerID {
        let info = ProcessInfo.processInfo
        let host = info.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return WorkerID("\(host)-\(info.processIdentifier)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))")
    }
}
