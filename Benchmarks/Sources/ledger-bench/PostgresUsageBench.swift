import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import Foundation
import PostgresNIO

/// Times `ledger.usage` grouped by org, user, agent, model and day over N charges on PostgreSQL,
/// beside the same `SELECT … GROUP BY` sent by hand through postgres-nio.
struct PostgresUsageBench {
    var server: PostgresBench
    var charges: Int
    /// A database seeded by an earlier run, to time the query alone.
    var existingDatabase: String?
    /// Prints the plan of the raw query (`EXPLAIN (ANALYZE, BUFFERS)`).
    var explain: Bool

    static let query = UsageQuery(
        from: Date(timeIntervalSince1970: 1_761_955_200), until: Date(timeIntervalSince1970: 1_767_225_600),
        dimensions: [.org, .user, .agent, .model, .day])

    /// The statement `PostgresLedger.usage` builds for `query`, written out.
    static let rawSQL = """
        WITH per_session AS (
            SELECT org AS d0, user_name AS d1, agent AS d2, model_requested AS d3, model_actual AS d4,
                agentsched_ms(at) / 86400000 AS d5, session,
                sum(requests) AS requests,
                sum(amount) FILTER (WHERE unit = 'premium-requests') AS premium,
                sum(amount) FILTER (WHERE unit = 'ai-credits') AS credits,
                sum(input_tokens) FILTER (WHERE unit = 'ai-credits') AS input_tokens,
                sum(cached_tokens) FILTER (WHERE unit = 'ai-credits') AS cached_tokens,
                sum(cache_write_tokens) FILTER (WHERE unit = 'ai-credits') AS cache_write_tokens,
                sum(output_tokens) FILTER (WHERE unit = 'ai-credits') AS output_tokens
            FROM charges
            WHERE at >= agentsched_at($1) AND at < agentsched_at($2)
            GROUP BY d0, d1, d2, d3, d4, d5, session)
        SELECT GROUPING(d0, d1, d2, d3, d4, d5) AS total, d0, d1, d2, d3, d4, d5,
            count(session), count(DISTINCT session), coalesce(sum(requests), 0)::bigint,
            coalesce(sum(premium), 0)::bigint, coalesce(sum(credits), 0)::bigint,
            coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(cached_tokens), 0)::bigint,
            coalesce(sum(cache_write_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint,
            count(*)
        FROM per_session
        GROUP BY GROUPING SETS ((d0, d1, d2, d3, d4, d5), ())
        ORDER BY total, d0 COLLATE "C", d1 COLLATE "C", d2 COLLATE "C", d3 COLLATE "C", d4 COLLATE "C", d5
        """

    func run() async throws {
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        let url: String
        if let existingDatabase {
            url = try server.url(database: existingDatabase)
        } else {
            let name = "lb\(getpid())_usage"
            url = try await server.createDatabase(name)
            let fill = ContinuousClock.now
            try await PostgresBench.withLedger(url, connections: 1) { _ in }
            try await seed(url: url)
            print("seeded \(charges) charges in \(ContinuousClock.now - fill) (database: \(name))")
        }
        let from = Self.query.from.timeIntervalSince1970 * 1000
        let until = Self.query.until.timeIntervalSince1970 * 1000
        var binds = PostgresBindings()
        binds.append(Int64(from))
        binds.append(Int64(until))
        let sql = Self.rawSQL
        let raw = try await PostgresBench.withConnection(url) { [binds] connection in
            var times: [Double] = []
            for _ in 1...5 {
                let started = ContinuousClock.now
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresBench.logger
                )
                .collect()
                times.append((ContinuousClock.now - started).seconds)
                _ = rows.count
            }
            if explain {
                for row in try await connection.query(
                    PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS) " + sql, binds: binds),
                    logger: PostgresBench.logger
                ).collect() {
                    print(try row.decode(String.self))
                }
            }
            return times
        }
        let engine = try await PostgresBench.withLedger(url, connections: 1) { ledger in
            var times: [Double] = []
            var rows = 0
            for _ in 1...5 {
                let started = ContinuousClock.now
                let table = try await ledger.usage(Self.query)
                times.append((ContinuousClock.now - started).seconds)
                rows = table.rows.count
            }
            return (times, rows)
        }
        print("usage --by org,user,agent,model,day over \(charges) charges, \(engine.1) rows; 5 runs each, seconds")
        print("mode                      best   median    runs")
        for (name, times) in [("PostgresLedger.usage", engine.0), ("raw SELECT … GROUP BY", raw)] {
            let sorted = times.sorted()
            print(
                name.padded(22) + String(format: "%8.3f %8.3f    ", sorted[0], sorted[2])
                    + times.map { String(format: "%.3f", $0) }.joined(separator: " "))
        }
        print(String(format: "engine / raw (medians): %.2f", engine.0.sorted()[2] / raw.sorted()[2]))
    }

    /// Inserts charges (and their reservations) straight into the database with one
    /// `generate_series` (seeding is not what is measured): 3 orgs, 40 users, 7 agents, 5 models,
    /// spread over November and December 2025, five charges per session; then `VACUUM ANALYZE`.
    func seed(url: String) async throws {
        let charges = charges
        try await PostgresBench.withConnection(url) { connection in
            let logger = PostgresBench.logger
            let statements: [PostgresQuery] = [
                "SELECT setseed(0.42)",
                "INSERT INTO workers (id, pid, host, started_at, lease_expires_at) VALUES ('seed', 0, 'bench', now(), now())",
                """
                CREATE TEMPORARY TABLE seed AS
                SELECT g AS id, (g - 1) / 5 + 1 AS session,
                    (ARRAY['acme', 'globex', 'initech'])[1 + floor(random() * 3)::int] AS org,
                    'user' || floor(random() * 40)::int AS user_name,
                    (ARRAY['planner', 'implementer', 'test-writer', 'reviewer', 'docs-writer', 'security-auditor',
                        'triager'])[1 + floor(random() * 7)::int] AS agent,
                    1 + floor(random() * 5)::int AS m,
                    agentsched_at(1761955200000 + floor(random() * 61 * 86400000)::bigint) AS at
                FROM generate_series(1, \(unescaped: "\(charges)")) AS g
                """,
                """
                INSERT INTO reservations (id, session, worker, org, user_name, agent, repository, model_requested,
                    model_actual, kind, amount, unit, period_start, state, created_at, resolved_at)
                OVERRIDING SYSTEM VALUE
                SELECT id, session, 'seed', org, user_name, agent, org || '/webapp',
                    (ARRAY['gpt-4.1', 'claude-sonnet-4.5', 'claude-haiku-4.5', 'gpt-5-mini', 'claude-opus-4.7'])[m],
                    (ARRAY['gpt-4.1', 'claude-sonnet-4.5', 'claude-haiku-4.5', 'gpt-5-mini', 'claude-opus-4.7'])[m],
                    'request', (ARRAY[0, 1000, 330, 0, 15000])[m], 'premium-requests', agentsched_at(0), 'committed', at, at
                FROM seed
                """,
                """
                INSERT INTO charges (reservation, session, org, user_name, agent, repository, model_requested,
                    model_actual, kind, amount, unit, requests, at, period_start)
                SELECT id, session, org, user_name, agent, org || '/webapp',
                    (ARRAY['gpt-4.1', 'claude-sonnet-4.5', 'claude-haiku-4.5', 'gpt-5-mini', 'claude-opus-4.7'])[m],
                    (ARRAY['gpt-4.1', 'claude-sonnet-4.5', 'claude-haiku-4.5', 'gpt-5-mini', 'claude-opus-4.7'])[m],
                    'request', (ARRAY[0, 1000, 330, 0, 15000])[m], 'premium-requests', 1, at, agentsched_at(0)
                FROM seed ORDER BY id
                """,
                "VACUUM ANALYZE reservations",
                "VACUUM ANALYZE charges",
            ]
            for statement in statements {
                try await connection.query(statement, logger: logger)
            }
        }
    }
}
