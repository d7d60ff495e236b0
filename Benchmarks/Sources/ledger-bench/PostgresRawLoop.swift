import AgentSchedulerCore
import Foundation
import Logging
import PostgresNIO

/// The statements one reserve+commit sends through `PostgresLedger` (premium requests, the
/// database's clock, one organisation, user, agent and session scope; no alert reached), replayed
/// in order on one `PostgresConnection`: no `BudgetEngine`, no ledger type, no pool lease per
/// transaction. Keep it in step with `PostgresLedger+Budget.swift` (`reserve`, `commit`) and
/// `PostgresTransaction.swift` (`time`, `flushEvents`).
struct PostgresRawLoop {
    var url: String
    var worker: String

    /// An event as `PostgresTransaction.flushEvents` encodes it.
    struct Event: Encodable {
        var session: Int64?
        var org: String?
        var at: Int64
        var kind: String
        var data: [String: String]
    }

    static let eventsLock: Int64 = 0x6167_6E74_7363_0002

    func run(operations: Int) async throws {
        let worker = worker
        try await PostgresBench.withConnection(url) { connection in
            let logger = PostgresBench.logger
            try await connection.query(
                """
                INSERT INTO workers (id, pid, host, started_at, lease_expires_at)
                VALUES (\(worker), \(Int32(getpid())), 'bench', now(), now() + interval '1 hour')
                """, logger: logger)
            let period = BudgetPolicy.Period.monthly.bounds(containing: Date()).start.timeIntervalSince1970
            let month = Int64(period * 1000)
            // Lock order: by UTF-8 bytes of the key, then period.
            let scopes = ["agent:acme/agent", "org:acme", "session:1", "user:acme/alice"]
            let periods: [Int64] = [month, month, 0, month]
            let amount: Int64 = 330
            let (org, user, agent, repository, model) = ("acme", "alice", "agent", "acme/webapp", "model")
            let (kind, unit) = ("request", "premium-requests")
            func events(_ events: [Event]) async throws {
                let json = String(decoding: try JSONEncoder().encode(events), as: UTF8.self)
                _ = try await connection.query(
                    """
                    INSERT INTO events (session, org, at, kind, data)
                    SELECT (e.value ->> 'session')::bigint, e.value ->> 'org', agentsched_at((e.value ->> 'at')::bigint),
                        e.value ->> 'kind', e.value -> 'data'
                    FROM (SELECT pg_advisory_xact_lock(\(Self.eventsLock))) AS lock,
                        jsonb_array_elements(\(json)::jsonb) WITH ORDINALITY AS e(value, place)
                    ORDER BY e.place
                    """, logger: logger
                ).collect()
            }
            func now() async throws -> Int64 {
                guard
                    let row = try await connection.query("SELECT agentsched_ms(now())", logger: logger).collect().first
                else { throw BenchFailure("no time") }
                return try row.decode(Int64.self)
            }
            for _ in 0..<operations {
                // reserve
                try await connection.query("BEGIN", logger: logger)
                var at = try await now()
                _ = try await connection.query(
                    """
                    SELECT agentsched_ms(lease_expires_at), ended_at IS NOT NULL FROM workers WHERE id = \(worker)
                    FOR SHARE
                    """, logger: logger
                ).collect()
                _ = try await connection.query(
                    """
                    INSERT INTO budget_totals (scope, period_start)
                    SELECT scope, agentsched_at(period) FROM unnest(\(scopes), \(periods))
                        AS wanted(scope, period)
                    ORDER BY scope COLLATE "C", period
                    ON CONFLICT DO NOTHING
                    """, logger: logger
                ).collect()
                _ = try await connection.query(
                    """
                    SELECT scope, agentsched_ms(period_start), used, reserved FROM budget_totals
                    WHERE (scope, period_start) IN (
                        SELECT scope, agentsched_at(period) FROM unnest(\(scopes), \(periods))
                            AS wanted(scope, period))
                    ORDER BY scope COLLATE "C", period_start
                    FOR UPDATE
                    """, logger: logger
                ).collect()
                guard
                    let reserved = try await connection.query(
                        """
                        WITH reservation AS (
                            INSERT INTO reservations (session, worker, org, user_name, agent, repository, model_requested,
                                model_actual, kind, amount, unit, period_start, state, created_at)
                            VALUES (\(Int64(1)), \(worker), \(org), \(user), \(agent), \(repository), \(model), \(model),
                                \(kind), \(amount), \(unit), agentsched_at(\(month)), 'open', agentsched_at(\(at)))
                            RETURNING id),
                        held AS (
                            UPDATE budget_totals SET reserved = reserved + \(amount)
                            FROM unnest(\(scopes), \(periods)) AS wanted(scope, period)
                            WHERE budget_totals.scope = wanted.scope
                                AND budget_totals.period_start = agentsched_at(wanted.period)),
                        scopes AS (
                            INSERT INTO reservation_scopes (reservation, scope, period_start)
                            SELECT reservation.id, wanted.scope, agentsched_at(wanted.period)
                            FROM reservation, unnest(\(scopes), \(periods)) AS wanted(scope, period))
                        SELECT id FROM reservation
                        """, logger: logger
                    ).collect().first
                else { throw BenchFailure("no reservation") }
                let id = try reserved.decode(Int64.self)
                try await events([
                    Event(
                        session: 1, org: "acme", at: at, kind: "budget.reserved",
                        data: ["reservation": "\(id)", "amount": "0.33", "kind": "request", "model": "model"])
                ])
                try await connection.query("COMMIT", logger: logger)

                // commit
                try await connection.query("BEGIN", logger: logger)
                _ = try await connection.query(
                    """
                    SELECT id, session, org, user_name, agent, repository, model_requested, model_actual, kind, amount,
                        unit, worker, agentsched_ms(period_start), agentsched_ms(created_at), state
                    FROM reservations WHERE id = \(id) FOR UPDATE
                    """, logger: logger
                ).collect()
                at = try await now()
                _ = try await connection.query(
                    """
                    SELECT 1 FROM budget_totals
                    WHERE (scope, period_start) IN (
                        SELECT scope, period_start FROM reservation_scopes WHERE reservation = ANY(\([id])))
                    ORDER BY scope COLLATE "C", period_start
                    FOR UPDATE
                    """, logger: logger
                ).collect()
                _ = try await connection.query(
                    """
                    WITH resolved AS (
                        UPDATE reservations SET state = 'committed', resolved_at = agentsched_at(\(at))
                        WHERE id = \(id) AND state = 'open'),
                    totals AS (
                        UPDATE budget_totals SET reserved = reserved - \(amount), used = used + \(amount)
                        FROM reservation_scopes held
                        WHERE held.reservation = \(id) AND budget_totals.scope = held.scope
                            AND budget_totals.period_start = held.period_start)
                    INSERT INTO charges (reservation, session, org, user_name, agent, repository, model_requested,
                        model_actual, kind, amount, unit, requests, input_tokens, cached_tokens, cache_write_tokens,
                        output_tokens, at, period_start)
                    VALUES (\(id), \(Int64(1)), \(org), \(user), \(agent), \(repository), \(model), \(model), \(kind),
                        \(amount), \(unit), \(1), \(0), \(0), \(0), \(0), agentsched_at(\(at)),
                        agentsched_at(\(month)))
                    RETURNING id
                    """, logger: logger
                ).collect()
                _ = try await connection.query(
                    "SELECT used FROM budget_totals WHERE scope = \("org:acme") AND period_start = agentsched_at(\(month))",
                    logger: logger
                ).collect()
                try await events([
                    Event(
                        session: 1, org: "acme", at: at, kind: "budget.charged",
                        data: ["reservation": "\(id)", "amount": "0.33", "requests": "1"])
                ])
                try await connection.query("COMMIT", logger: logger)
            }
        }
    }
}
