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

    /// `YYYY-MM-DD` of a day number since 1970 (UTC).
    static func dayText(_ day: Int64) -> String {
        CivilDate.text(days: day)
    }
}
