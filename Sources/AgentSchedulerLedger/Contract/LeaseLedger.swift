import AgentSchedulerCore
import Foundation

/// Worker leases: a worker holds sessions and reservations while its lease is fresh.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol LeaseLedger: Sendable {
    /// The ledger's clock: the database server's on PostgreSQL (hosts' clocks disagree; the
    /// database's is the one every host shares), the host's on SQLite, which serves one host.
    /// Budget periods are computed from it.
    func now() async throws -> Date
    /// Registers a worker whose lease lasts `lease.expiresAt - at`: from `at` on SQLite, from the
    /// database's clock on PostgreSQL.
    func registerWorker(_ lease: WorkerLease, at: Date) async throws
    /// Extends a lease by `until - at` (from the database's clock on PostgreSQL); throws
    /// `leaseLost` when another process already reclaimed it.
    func renewLease(worker: WorkerID, until: Date, at: Date) async throws
    /// Ends a worker's lease cleanly (its reservations must already be resolved).
    func retireWorker(_ worker: WorkerID, at: Date) async throws
    /// Releases the reservations and interrupts the active sessions of every worker whose lease
    /// expired before `now`.
    func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport
}
