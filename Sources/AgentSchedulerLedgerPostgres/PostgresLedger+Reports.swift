import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    /// Groups in SQL, in one statement (so rows and totals come from one snapshot): the range is an
    /// index-only scan of `charges_by_time`, first grouped by the dimensions and the session (a
    /// hash aggregate), then by the dimensions alone, beside one total row.
    /// Rows sort as SQLite's engine sorts them: names by UTF-8 bytes (`COLLATE "C"`), days by date,
    /// sessions by number with "no session" first.
    public func usage(_ query: UsageQuery) async throws -> UsageTable {
        let columns = query.dimensions.flatMap(Self.columns(of:))
        return try await transaction { transaction in
            // Room to hash every group in memory instead of spilling to disk, for this transaction only.
            try await transaction.execute("SET LOCAL work_mem = '256MB'")
            let from = query.from.ledgerMilliseconds
            let until = query.until.ledgerMilliseconds
            let names = columns.indices.map { "d\($0)" }
            let inner = zip(columns, names).map { "\($0.expression) AS \($1)" }
            let order = zip(columns, names).map { column, name in
                switch column.kind {
                case .text, .actualModel: "\(name) COLLATE \"C\""
                case .session: "coalesce(\(name), -1)"
                case .day: name
                }
            }
            var binds = PostgresBindings()
            binds.append(from)
            binds.append(until)
            var sql = """
                WITH per_session AS (
                    SELECT \((inner + ["session"]).joined(separator: ", ")),
                        sum(requests) AS requests,
                        sum(amount) FILTER (WHERE unit = 'premium-requests') AS premium,
                        sum(amount) FILTER (WHERE unit = 'ai-credits') AS credits,
                        sum(input_tokens) FILTER (WHERE unit = 'ai-credits') AS input_tokens,
                        sum(cached_tokens) FILTER (WHERE unit = 'ai-credits') AS cached_tokens,
                        sum(cache_write_tokens) FILTER (WHERE unit = 'ai-credits') AS cache_write_tokens,
                        sum(output_tokens) FILTER (WHERE unit = 'ai-credits') AS output_tokens
                    FROM charges
                    WHERE at >= agentsched_at($1) AND at < agentsched_at($2)
                """
            if let org = query.org {
                sql += " AND org = $3"
                binds.append(org)
            }
            // The rows grouped by the dimensions, then one total row (distinct sessions across all
            // rows), from the same per-session groups: one statement, one snapshot.
            let nulls = columns.map { column in
                switch column.kind {
                case .text, .actualModel: "NULL::text"
                case .session: "NULL::bigint"
                case .day: "NULL::integer"
                }
            }
            let figures = """
                coalesce(sum(requests), 0)::bigint, coalesce(sum(premium), 0)::bigint,
                coalesce(sum(credits), 0)::bigint, coalesce(sum(input_tokens), 0)::bigint,
                coalesce(sum(cached_tokens), 0)::bigint, coalesce(sum(cache_write_tokens), 0)::bigint,
                coalesce(sum(output_tokens), 0)::bigint, count(*)
                """
            let grouped =
                names.isEmpty
                ? ""
                : """
                SELECT 0 AS total, \(names.joined(separator: ", ")), count(session) AS sessions,
                    0::bigint AS distinct_sessions, \(figures)
                FROM per_session GROUP BY \(names.joined(separator: ", "))
                UNION ALL
                """
            sql += """

                    GROUP BY \((names + ["session"]).joined(separator: ", ")))
                SELECT * FROM (
                    \(grouped)
                    SELECT 1 AS total, \((nulls + [""]).joined(separator: ", "))
                        count(session), count(DISTINCT session), \(figures)
                    FROM per_session) AS result
                ORDER BY total\(order.isEmpty ? "" : ", " + order.joined(separator: ", "))
                """
            var rows: [UsageRow] = []
            var table = UsageTable.empty
            for row in try await transaction.rows(PostgresQuery(unsafeSQL: sql, binds: binds)) {
                // By position: no per-row lookup table by column name.
                let cells = Array(row)
                let isTotal = try cells[0].decode(Int32.self) != 0
                let figures = try (0..<10).map { try cells[1 + names.count + $0].decode(Int64.self) }
                let tokens = TokenCounts(
                    input: Int(figures[5]), cachedInput: Int(figures[6]), cacheWrite: Int(figures[7]),
                    output: Int(figures[8]))
                if isTotal {
                    guard figures[9] > 0 else { return .empty }
                    table = UsageTable(
                        rows: [], sessions: Int(figures[1]), modelRequests: Int(figures[2]),
                        premiumRequests: PremiumRequests(thousandths: figures[3]),
                        aiCredits: AICredits(nanocredits: figures[4]), tokens: tokens)
                }
                guard !isTotal || names.isEmpty else { continue }
                var values: [String] = []
                var actualModel: String?
                for (index, column) in columns.enumerated() {
                    let cell = cells[1 + index]
                    switch column.kind {
                    case .text: values.append(try cell.decode(String.self))
                    case .actualModel: actualModel = try cell.decode(String.self)
                    case .session: values.append(try cell.decode(Int64?.self).map { "\($0)" } ?? "")
                    case .day: values.append(CivilDate.text(days: Int64(try cell.decode(Int32.self))))
                    }
                }
                rows.append(
                    UsageRow(
                        values: values, actualModel: actualModel, sessions: Int(figures[0]),
                        modelRequests: Int(figures[2]), premiumRequests: PremiumRequests(thousandths: figures[3]),
                        aiCredits: AICredits(nanocredits: figures[4]), tokens: tokens))
            }
            table.rows = rows
            return table
        }
    }

    /// One grouping column of a usage query: its SQL (a constant of this file, never a value)
    /// and how it reads back.
    struct UsageColumn {
        enum Kind { case text, actualModel, session, day }
        var expression: String
        var kind: Kind
    }

    static func columns(of dimension: UsageDimension) -> [UsageColumn] {
        switch dimension {
        case .org: [UsageColumn(expression: "org", kind: .text)]
        case .user: [UsageColumn(expression: "user_name", kind: .text)]
        case .agent: [UsageColumn(expression: "agent", kind: .text)]
        case .repo: [UsageColumn(expression: "repository", kind: .text)]
        case .model:
            [
                UsageColumn(expression: "model_requested", kind: .text),
                UsageColumn(expression: "model_actual", kind: .actualModel),
            ]
        case .session: [UsageColumn(expression: "session", kind: .session)]
        // Days since 1970 in UTC, as date arithmetic (an integer): no per-row numeric division.
        case .day: [UsageColumn(expression: "((at AT TIME ZONE 'UTC')::date - date '1970-01-01')", kind: .day)]
        }
    }

    public func charges(from: Date, until: Date, org: String?) async throws -> [Charge] {
        try await transaction { transaction in
            let from = from.ledgerMilliseconds
            let until = until.ledgerMilliseconds
            let rows =
                if let org {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.chargeColumns) FROM charges
                        WHERE at >= agentsched_at(\(from)) AND at < agentsched_at(\(until)) AND org = \(org)
                        ORDER BY at, id
                        """)
                } else {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.chargeColumns) FROM charges
                        WHERE at >= agentsched_at(\(from)) AND at < agentsched_at(\(until))
                        ORDER BY at, id
                        """)
                }
            return try rows.map(Self.charge(from:))
        }
    }

    public func completedSessionCosts(
        agent: String, model: String, unit: BillingUnit, limit: Int
    ) async throws -> [Amount] {
        try await transaction { transaction in
            try await transaction.values(
                Int64.self,
                """
                SELECT coalesce(sum(charges.amount), 0)::bigint FROM sessions
                JOIN charges ON charges.session = sessions.id AND charges.unit = \(unit.rawValue)
                WHERE sessions.state = 'completed' AND sessions.agent = \(agent)
                    AND coalesce(sessions.actual_model, sessions.model) = \(model)
                GROUP BY sessions.id ORDER BY sessions.id DESC LIMIT \(limit)
                """
            ).map { Amount(unit, minorUnits: $0) }
        }
    }
}
