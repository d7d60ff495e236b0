import Foundation
import GRDBSQLite

/// The statements one reserve+commit runs in `SQLiteLedger`, issued straight through SQLite's C API
/// with statements prepared once: the fastest the same work can go, as the baseline.
final class RawLoop {
    let db: OpaquePointer
    let worker: String
    var statements: [String: OpaquePointer] = [:]

    init(path: String, worker: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let handle else { throw BenchFailure("cannot open \(path)") }
        db = handle
        self.worker = worker
        sqlite3_busy_timeout(db, 10_000)
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = NORMAL")
        try exec("PRAGMA foreign_keys = ON")
        try exec(
            "INSERT OR IGNORE INTO workers (id, pid, host, started_at, lease_expires_at) VALUES ('\(worker)', \(getpid()), 'bench', 0, 9999999999999)"
        )
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(db)
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchFailure(String(cString: sqlite3_errmsg(db)))
        }
    }

    /// Binds `values` (Int64 or String), steps to the end, and returns the first row's first two integers.
    @discardableResult
    func run(_ sql: String, _ values: [Any]) throws -> (Int64, Int64)? {
        var statement = statements[sql]
        if statement == nil {
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
                throw BenchFailure(String(cString: sqlite3_errmsg(db)))
            }
            statements[sql] = statement
        }
        sqlite3_reset(statement)
        for (index, value) in values.enumerated() {
            if let integer = value as? Int64 {
                sqlite3_bind_int64(statement, Int32(index + 1), integer)
            } else if let text = value as? String {
                sqlite3_bind_text(
                    statement, Int32(index + 1), text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            } else {
                sqlite3_bind_null(statement, Int32(index + 1))
            }
        }
        var first: (Int64, Int64)?
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_ROW {
                if first == nil { first = (sqlite3_column_int64(statement, 0), sqlite3_column_int64(statement, 1)) }
            } else if code == SQLITE_DONE {
                return first
            } else {
                throw BenchFailure(String(cString: sqlite3_errmsg(db)))
            }
        }
    }

    func run(operations: Int) throws {
        let period: Int64 = 1_764_547_200_000
        let scopes = ["org:acme", "user:acme/alice", "agent:acme/agent", "session:1"]
        for _ in 0..<operations {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try exec("BEGIN IMMEDIATE")
            for scope in scopes {
                try run(
                    "SELECT used, reserved FROM budget_totals WHERE scope = ? AND period_start = ?", [scope, period])
            }
            try run(
                """
                INSERT INTO reservations (session, worker, org, user, agent, repository, model_requested,
                    model_actual, kind, amount, period_start, state, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
                """,
                [
                    Int64(1), worker, "acme", "alice", "agent", "acme/webapp", "model", "model", "request", Int64(330),
                    period, now,
                ])
            let id = sqlite3_last_insert_rowid(db)
            for scope in scopes {
                try run(
                    """
                    INSERT INTO budget_totals (scope, period_start, reserved) VALUES (?, ?, ?)
                    ON CONFLICT (scope, period_start) DO UPDATE SET reserved = reserved + excluded.reserved
                    """, [scope, period, Int64(330)])
                try run(
                    "INSERT INTO reservation_scopes (reservation, scope, period_start) VALUES (?, ?, ?)",
                    [id, scope, period])
            }
            try run(
                "INSERT INTO events (session, org, at, kind, data) VALUES (?, ?, ?, ?, ?)",
                [
                    Int64(1), "acme", now, "budget.reserved",
                    "{\"amount\":\"0.33\",\"kind\":\"request\",\"model\":\"model\",\"reservation\":\"\(id)\"}",
                ])
            try exec("COMMIT")

            try exec("BEGIN IMMEDIATE")
            try run("SELECT id, amount FROM reservations WHERE id = ?", [id])
            try run(
                "UPDATE reservations SET state = 'committed', resolved_at = ? WHERE id = ? AND state = 'open'",
                [now, id])
            try run(
                """
                UPDATE budget_totals SET reserved = reserved - ?, used = used + ?
                WHERE (scope, period_start) IN (SELECT scope, period_start FROM reservation_scopes WHERE reservation = ?)
                """, [Int64(330), Int64(330), id])
            try run(
                """
                INSERT INTO charges (reservation, session, org, user, agent, repository, model_requested,
                    model_actual, kind, amount, requests, at, period_start)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, Int64(1), "acme", "alice", "agent", "acme/webapp", "model", "model", "request", Int64(330),
                    Int64(1), now, period,
                ])
            try run(
                "INSERT INTO events (session, org, at, kind, data) VALUES (?, ?, ?, ?, ?)",
                [
                    Int64(1), "acme", now, "budget.charged",
                    "{\"amount\":\"0.33\",\"requests\":\"1\",\"reservation\":\"\(id)\"}",
                ])
            try run(
                "SELECT used, reserved FROM budget_totals WHERE scope = ? AND period_start = ?", ["org:acme", period])
            try exec("COMMIT")
        }
    }
}
