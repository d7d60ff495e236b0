import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    public func registerWorker(_ lease: WorkerLease, at: Date) async throws {
        try await write { db in
            try db.executeCached(
                sql: "INSERT INTO workers (id, pid, host, started_at, lease_expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    lease.id, lease.pid, lease.host, at.millisecondsSince1970, lease.expiresAt.millisecondsSince1970,
                ])
            try Self.insertEvent(
                db, .workerStarted(worker: lease.id, pid: lease.pid, host: lease.host), session: nil, org: nil,
                at: at)
        }
    }

    /// The host's clock: a SQLite ledger serves one host.
    public func now() async throws -> Date { Date() }

    public func renewLease(worker: WorkerID, until: Date, at: Date) async throws {
        try await write { db in
            try db.executeCached(
                sql: "UPDATE workers SET lease_expires_at = ? WHERE id = ? AND ended_at IS NULL",
                arguments: [until.millisecondsSince1970, worker])
            if db.changesCount == 0 { throw LedgerError.leaseLost(worker: worker) }
        }
    }

    public func retireWorker(_ worker: WorkerID, at: Date) async throws {
        try await write { db in
            let (reservations, sessions) = try Self.endWorker(db, worker, reason: "worker \(worker) stopped", at: at)
            try Self.insertEvent(
                db, .workerRetired(worker: worker, reservations: reservations.count, sessions: sessions.count),
                session: nil, org: nil, at: at)
        }
    }

    public func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport {
        try await write { db in
            var report = ReclaimReport()
            let expired = try WorkerID.fetchAll(
                db, sql: "SELECT id FROM workers WHERE ended_at IS NULL AND lease_expires_at < ? ORDER BY id",
                arguments: [now.millisecondsSince1970])
            for worker in expired {
                let (reservations, sessions) = try Self.endWorker(
                    db, worker, reason: "lease of worker \(worker) expired", at: now)
                try Self.insertEvent(
                    db, .leaseReclaimed(worker: worker, reservations: reservations.count, sessions: sessions.count),
                    session: nil, org: nil, at: now)
                report.workers.append(worker)
                report.releasedReservations += reservations
                report.interruptedSessions += sessions
            }
            return report
        }
    }

    /// Ends a worker inside the caller's transaction: releases its open reservations (each exactly
    /// once) and moves its running or throttled sessions to `interrupted`, so nothing it held
    /// outlives it. Used both for a clean stop and for reclaiming an expired lease.
    static func endWorker(
        _ db: Database, _ worker: WorkerID, reason: String, at: Date
    ) throws -> (reservations: [ReservationID], sessions: [SessionID]) {
        let reservations = try ReservationID.fetchAll(
            db, sql: "SELECT id FROM reservations WHERE worker = ? AND state = 'open' ORDER BY id", arguments: [worker])
        for reservation in reservations {
            try release(db, reservation, reason: reason, at: at)
        }
        let sessions = try SessionID.fetchAll(
            db, sql: "SELECT id FROM sessions WHERE worker = ? AND state IN ('running', 'throttled') ORDER BY id",
            arguments: [worker])
        for session in sessions {
            _ = try transition(db, session: session, to: .interrupted, reason: reason, worker: nil, at: at)
        }
        // Claimed but not started: back to the queue for any worker.
        try db.executeCached(
            sql:
                "UPDATE sessions SET worker = NULL, updated_at = ? WHERE worker = ? AND state IN ('queued', 'interrupted')",
            arguments: [at.millisecondsSince1970, worker])
        try db.executeCached(
            sql: "UPDATE workers SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
            arguments: [at.millisecondsSince1970, worker])
        return (reservations, sessions)
    }

    /// Refuses work under a lease that is unknown, ended, or expired at `at`: a stalled worker that
    /// wakes after another process reclaimed its lease must not hold budget nobody would return.
    static func requireLiveLease(_ db: Database, worker: WorkerID, at: Date) throws {
        guard
            let row = try db.fetchOneCached(
                sql: "SELECT lease_expires_at, ended_at FROM workers WHERE id = ?", arguments: [worker])
        else { throw LedgerError.noSuchWorker(worker) }
        let expires: Int64 = row["lease_expires_at"]
        let ended: Int64? = row["ended_at"]
        guard ended == nil, expires >= at.millisecondsSince1970 else { throw LedgerError.leaseLost(worker: worker) }
    }
}
