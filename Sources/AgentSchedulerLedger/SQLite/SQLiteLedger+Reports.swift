import AgentSchedulerCore
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteLedger {
    public func usageRows(_ query: UsageQuery) async throws -> [UsageRow] {
        try await read { db in
            var sql = "SELECT \(UsageAggregator.columns) FROM charges WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [query.from.millisecondsSince1970, query.until.millisecondsSince1970]
            if let org = query.org {
                sql += " AND org = ?"
                arguments += [org]
            }
            let statement = try db.makeStatement(sql: sql)
            statement.setUncheckedArguments(arguments)
            var aggregator = UsageAggregator(dimensions: query.dimensions)
            while true {
                let code = sqlite3_step(statement.sqliteStatement)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
                }
                aggregator.add(statement.sqliteStatement)
            }
            return aggregator.rows()
        }
    }

    public func charges(from: Date, until: Date, org: String?) async throws -> [Charge] {
        try await read { db in
            var sql = "SELECT * FROM charges WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [from.millisecondsSince1970, until.millisecondsSince1970]
            if let org {
                sql += " AND org = ?"
                arguments += [org]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY at, id", arguments: arguments).map { row in
                Charge(
                    id: row["id"], reservation: row["reservation"],
                    context: ChargeContext(
                        session: row["session"], org: row["org"], user: row["user"], agent: row["agent"],
                        repository: row["repository"], requestedModel: row["model_requested"],
                        actualModel: row["model_actual"], kind: ChargeKind(rawValue: row["kind"]) ?? .request),
                    amount: PremiumRequests(thousandths: row["amount"]), requests: row["requests"],
                    at: Date(millisecondsSince1970: row["at"]))
            }
        }
    }

    /// `YYYY-MM-DD` of a day number since 1970 (UTC), without a calendar on the hot path.
    static func dayText(_ day: Int64) -> String {
        // Howard Hinnant's civil_from_days.
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }
}
