import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    public func now() async throws -> Date {
        switch timeSource {
        case .caller: return Date()
        case .database:
            return try await transaction { transaction in
                Date(ledgerMilliseconds: try await transaction.serverNow())
            }
        }
    }

    /// In `.database` mode the lease runs for `lease.expiresAt - at` from the server's `now()`.
    public func registerWorker(_ lease: WorkerLease, at: Date) async throws {
        try await transaction { transaction in
            let now = try await transaction.time(at)
            let expires = now + (lease.expiresAt.ledgerMilliseconds - at.ledgerMilliseconds)
            let expiresAt = transaction.timeSource == .caller ? lease.expiresAt.ledgerMilliseconds : expires
            try await transaction.execute(
                """
                INSERT INTO workers (id, pid, host, started_at, lease_expires_at)
                VALUES (\(lease.id), \(lease.pid), \(lease.host), agentsched_at(\(now)), agentsched_at(\(expiresAt)))
                """)
            transaction.insertEvent(
                .workerStarted(worker: lease.id, pid: lease.pid, host: lease.host), session: nil, org: nil, at: now)
        }
    }

    /// In `.database` mode the lease is extended to the server's `now()` plus `until - at`.
    public func renewLease(worker: WorkerID, until: Date, at: Date) async throws {
        try await transaction { transaction in
            let expires =
                switch transaction.timeSource {
                case .caller: until.ledgerMilliseconds
                case .database:
                    try await transaction.serverNow() + (until.ledgerMilliseconds - at.ledgerMilliseconds)
                }
            let renewed = try await transaction.row(
                """
                UPDATE workers SET lease_expires_at = agentsched_at(\(expires))
                WHERE id = \(worker) AND ended_at IS NULL
                RETURNING id
                """)
            if renewed == nil { throw LedgerError.leaseLost(worker: worker) }
        }
    }

    public func retireWorker(_ worker: WorkerID, at: Date) async throws {
        try await transaction { transaction in
            let now = try await transaction.time(at)
            try await transaction.execute("SELECT 1 FROM workers WHERE id = \(worker) FOR UPDATE")
            try await Self.endWorkers(transaction, [worker], reason: { "worker \($0) stopped" }, at: now) {
                worker, reservations, sessions in
                transaction.insertEvent(
                    .workerRetired(worker: worker, reservations: reservations.count, sessions: sessions.count),
                    session: nil, org: nil, at: now)
            }
        }
    }

    /// In `.database` mode "expired" means before the server's `now()`; `now` is not used.
    public func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport {
        try await transaction { transaction in
            let now = try await transaction.time(now)
            // FOR UPDATE: a lease renewed meanwhile is re-read and left alone; a reservation made
            // under one of these leases (which holds its row FOR SHARE) commits first and is released.
            let expired = try await transaction.values(
                WorkerID.self,
                """
                SELECT id FROM workers WHERE ended_at IS NULL AND lease_expires_at < agentsched_at(\(now))
                ORDER BY id FOR UPDATE
                """)
            guard !expired.isEmpty else { return ReclaimReport() }
            var report = ReclaimReport()
            try await Self.endWorkers(transaction, expired, reason: { "lease of worker \($0) expired" }, at: now) {
                worker, released, interrupted in
                transaction.insertEvent(
                    .leaseReclaimed(worker: worker, reservations: released.count, sessions: interrupted.count),
                    session: nil, org: nil, at: now)
                report.workers.append(worker)
                report.releasedReservations += released
                report.interruptedSessions += interrupted
            }
            return report
        }
    }

    /// Ends workers (whose rows the caller locked) inside the caller's transaction: releases their
    /// open reservations (each exactly once) and moves their running or throttled sessions to
    /// `interrupted`, so nothing they held outlives them; claimed, unstarted sessions go back to
    /// the queue. `ended` is called after each worker's releases and transitions, in `workers`' order.
    ///
    /// All their reservations are locked first (by id), then all the totals those are held under
    /// (in lock order), before anything changes: the order every other transaction locks in.
    static func endWorkers(
        _ transaction: PostgresTransaction, _ workers: [WorkerID], reason: (WorkerID) -> String, at now: Int64,
        ended: (_ worker: WorkerID, _ reservations: [ReservationID], _ sessions: [SessionID]) -> Void
    ) async throws {
        let open = try await transaction.rows(
            """
            SELECT \(unescaped: reservationColumns) FROM reservations
            WHERE worker = ANY(\(workers)) AND state = 'open' ORDER BY id FOR UPDATE
            """
        ).map { try reservation(from: $0) }.filter { $0.state == "open" }.map(\.reservation)
        try await lockTotals(transaction, ofReservations: open.map(\.id))
        for worker in workers {
            var reservations: [ReservationID] = []
            var sessions: [SessionID] = []
            for reservation in open where reservation.worker == worker {
                try await release(transaction, reservation, reason: reason(worker), at: now)
                reservations.append(reservation.id)
            }
            let active = try await transaction.values(
                SessionID.self,
                """
                SELECT id FROM sessions WHERE worker = \(worker) AND state IN ('running', 'throttled') ORDER BY id
                """)
            for session in active {
                _ = try await transition(
                    transaction, session: session, to: .interrupted, reason: reason(worker), worker: nil,
                    at: Date(ledgerMilliseconds: now))
                sessions.append(session)
            }
            ended(worker, reservations, sessions)
        }
        try await transaction.execute(
            """
            UPDATE sessions SET worker = NULL, updated_at = agentsched_at(\(now))
            WHERE worker = ANY(\(workers)) AND state IN ('queued', 'interrupted')
            """)
        try await transaction.execute(
            """
            UPDATE workers SET ended_at = agentsched_at(\(now)) WHERE id = ANY(\(workers)) AND ended_at IS NULL
            """)
    }

    /// Refuses work under a lease that is unknown, ended, or expired at `now` (milliseconds), and
    /// holds the lease row `FOR SHARE` until the transaction ends, so a reclaim of it waits.
    static func requireLiveLease(_ transaction: PostgresTransaction, worker: WorkerID, at now: Int64) async throws {
        guard
            let row = try await transaction.row(
                """
                SELECT agentsched_ms(lease_expires_at), ended_at IS NOT NULL FROM workers WHERE id = \(worker)
                FOR SHARE
                """)
        else { throw LedgerError.noSuchWorker(worker) }
        let (expires, ended) = try row.decode((Int64, Bool).self)
        guard !ended, expires >= now else { throw LedgerError.leaseLost(worker: worker) }
    }
}
