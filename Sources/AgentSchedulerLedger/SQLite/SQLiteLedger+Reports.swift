import AgentSchedulerCore
import Foundation
import GRDB

extension SQLiteLedger {
    public func usageRows(_ query: UsageQuery) async throws -> [UsageRow] {
        try await read { db in
            var columns: [String] = []
            for dimension in query.dimensions {
                switch dimension {
                case .org: columns.append("org")
                case .user: columns.append("user")
                case .agent: columns.append("agent")
                case .model: columns += ["model_requested", "model_actual"]
                case .repo: columns.append("repository")
                case .day: columns.append("at / 86400000")
                case .session: columns.append("session")
                }
            }
            var sql = "SELECT "
            sql += columns.isEmpty ? "" : columns.joined(separator: ", ") + ", "
            sql += "COUNT(DISTINCT session), SUM(requests), SUM(amount) FROM charges WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [query.from.millisecondsSince1970, query.until.millisecondsSince1970]
            if let org = query.org {
                sql += " AND org = ?"
                arguments += [org]
            }
            if !columns.isEmpty {
                let ordinals = columns.indices.map { "\($0 + 1)" }.joined(separator: ", ")
                sql += " GROUP BY \(ordinals) ORDER BY \(ordinals)"
            }
            var rows: [UsageRow] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                var values: [String] = []
                var actualModel: String?
                var index = 0
                for dimension in query.dimensions {
                    switch dimension {
                    case .model:
                        values.append(row[index])
                        actualModel = row[index + 1]
                        index += 2
                        continue
                    case .day:
                        values.append(Self.dayText(row[index]))
                    case .session:
                        values.append((row[index] as Int64?).map(String.init) ?? "")
                    default:
                        values.append(row[index])
                    }
                    index += 1
                }
                let amount: Int64? = row[index + 2]
                guard amount != nil || !columns.isEmpty else { break }  // no charges: SUM is NULL
                rows.append(
                    UsageRow(
                        values: values, actualModel: actualModel, sessions: row[index], modelRequests: row[index + 1],
                        premiumRequests: PremiumRequests(thousandths: amount ?? 0)))
            }
            return rows
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
