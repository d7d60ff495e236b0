import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    /// The invariants, read in one REPEATABLE READ transaction so every check sees the same
    /// instant; `now` is the database's clock in `.database` mode.
    public func checkInvariants(now: Date) async throws -> [LedgerViolation] {
        try await transaction { transaction in
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let now = try await transaction.time(now)
            var violations: [LedgerViolation] = []
            for row in try await transaction.rows(
                """
                SELECT r.id, r.worker FROM reservations r LEFT JOIN workers w ON w.id = r.worker
                WHERE r.state = 'open'
                    AND (w.id IS NULL OR w.ended_at IS NOT NULL OR w.lease_expires_at < agentsched_at(\(now)))
                ORDER BY r.id
                """)
            {
                let (reservation, worker) = try row.decode((ReservationID, WorkerID).self)
                violations.append(.reservationWithoutLiveLease(reservation: reservation, worker: worker))
            }
            for row in try await transaction.rows(Self.scopeTotalsCheck) {
                let (scope, period, keptUsed, keptReserved, used, reserved) = try row.decode(
                    (String, Int64, Int64, Int64, Int64, Int64).self)
                violations.append(
                    .scopeTotalsDisagree(
                        scope: scope, periodStart: Date(ledgerMilliseconds: period),
                        kept: .init(used: keptUsed, reserved: keptReserved),
                        computed: .init(used: used, reserved: reserved)))
            }
            for row in try await transaction.rows(
                """
                SELECT c.id, c.session FROM charges c LEFT JOIN sessions s ON s.id = c.session
                WHERE s.id IS NULL ORDER BY c.id
                """)
            {
                let (charge, session) = try row.decode((Int64, SessionID?).self)
                violations.append(.chargeWithoutSession(charge: charge, session: session))
            }
            return violations
        }
    }

    /// Each scope and period whose kept totals differ from what its reservations add up to: used
    /// is the sum of its committed reservations' charges, reserved the sum of its open ones.
    static let scopeTotalsCheck: PostgresQuery = """
        WITH computed AS (
            SELECT rs.scope, rs.period_start,
                COALESCE(SUM(c.amount) FILTER (WHERE r.state = 'committed'), 0)::bigint AS used,
                COALESCE(SUM(r.amount) FILTER (WHERE r.state = 'open'), 0)::bigint AS reserved
            FROM reservation_scopes rs
            JOIN reservations r ON r.id = rs.reservation
            LEFT JOIN charges c ON c.reservation = r.id
            GROUP BY rs.scope, rs.period_start
        )
        SELECT t.scope, agentsched_ms(t.period_start), t.used, t.reserved, COALESCE(k.used, 0), COALESCE(k.reserved, 0)
        FROM budget_totals t LEFT JOIN computed k ON k.scope = t.scope AND k.period_start = t.period_start
        WHERE t.used <> COALESCE(k.used, 0) OR t.reserved <> COALESCE(k.reserved, 0)
        UNION ALL
        SELECT k.scope, agentsched_ms(k.period_start), 0, 0, k.used, k.reserved FROM computed k
        WHERE (k.used <> 0 OR k.reserved <> 0) AND NOT EXISTS (
            SELECT 1 FROM budget_totals t WHERE t.scope = k.scope AND t.period_start = k.period_start)
        ORDER BY 1, 2
        """
}
