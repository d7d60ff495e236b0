import AgentSchedulerCore
import Foundation

/// A worker asking for sessions to start: up to `slots`, within every organisation's limits.
public struct ClaimRequest: Sendable, Hashable {
    /// The worker that will hold the claimed sessions (its lease must be live).
    public var worker: WorkerID
    /// How many sessions the worker can start now (its `--concurrency` minus what it runs).
    public var slots: Int
    /// Each organisation's `concurrency`; an organisation missing here has no limits.
    public var limits: [String: ConcurrencyPolicy]
    public var at: Date

    public init(worker: WorkerID, slots: Int, limits: [String: ConcurrencyPolicy], at: Date) {
        self.worker = worker
        self.slots = slots
        self.limits = limits
        self.at = at
    }
}
