import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    /// Opening the ledger migrated it already; this applies any migration another process's
    /// newer build left for this one (none, usually). GRDB runs them under the file's write lock.
    public func migrate() async throws {
        do {
            try LedgerSchema.migrator.migrate(pool)
        } catch {
            throw LedgerError.unavailable(path: path, reason: "\(error)")
        }
    }

    /// The schema version this build migrates a ledger file to: its newest migration's number.
    public static var latestSchemaVersion: Int {
        LedgerSchema.migrator.migrations.compactMap { Int($0.dropFirst()) }.max() ?? 0
    }

    /// Migrations are named `v1`, `v2`, …: the newest applied one's number.
    public func schemaVersion() async throws -> Int {
        try await read { db in
            try LedgerSchema.migrator.appliedIdentifiers(db).compactMap { Int($0.dropFirst()) }.max() ?? 0
        }
    }

    public func checkInvariants(now: Date) async throws -> [LedgerViolation] {
        try await read { db in
            var violations: [LedgerViolation] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.worker FROM reservations r LEFT JOIN workers w ON w.id = r.worker
                    WHERE r.state = 'open' AND (w.id IS NULL OR w.ended_at IS NOT NULL OR w.lease_expires_at < ?)
                    ORDER BY r.id
                    """, arguments: [now.millisecondsSince1970])
            {
                violations.append(.reservationWithoutLiveLease(reservation: row[0], worker: row[1]))
            }
            for row in try Row.fetchAll(db, sql: Self.scopeTotalsCheck) {
                violations.append(
                    .scopeTotalsDisagree(
                        scope: row[0], periodStart: Date(millisecondsSince1970: row[1]),
                        kept: .init(used: row[2], reserved: row[3]), computed: .init(used: row[4], reserved: row[5])))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.session FROM charges c LEFT JOIN sessions s ON s.id = c.session
                    WHERE s.id IS NULL ORDER BY c.id
                    """)
            {
                violations.append(.chargeWithoutSession(charge: row[0], session: row[1]))
            }
            return violations
        }
    }

    /// Each scope and period whose kept totals differ from what its reservations add up to: used
    /// is the sum of its committed reservations' charges, reserved the sum of its open ones.
    private static let scopeTotalsCheck = """
        WITH computed AS (
            SELECT rs.scope, rs.period_start,
                COALESCE(SUM(CASE WHEN r.state = 'committed' THEN c.amount END), 0) AS used,
                COALESCE(SUM(CASE WHEN r.state = 'open' THEN r.amount END), 0) AS reserved
            FROM reservation_scopes rs
            JOIN reservations r ON r.id = rs.reservation
            LEFT JOIN charges c ON c.reservation = r.id
            GROUP BY rs.scope, rs.period_start
        )
        SELECT t.scope, t.period_start, t.used, t.reserved, COALESCE(k.used, 0), COALESCE(k.reserved, 0)
        FROM budget_totals t LEFT JOIN computed k ON k.scope = t.scope AND k.period_start = t.period_start
        WHERE t.used <> COALESCE(k.used, 0) OR t.reserved <> COALESCE(k.reserved, 0)
        UNION ALL
        SELECT k.scope, k.period_start, 0, 0, k.used, k.reserved FROM computed k
        WHERE (k.used <> 0 OR k.reserved <> 0) AND NOT EXISTS (
            SELECT 1 FROM budget_totals t WHERE t.scope = k.scope AND t.period_start = k.period_start)
        ORDER BY 1, 2
        """
}
