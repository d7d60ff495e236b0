import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteLedger {
    /// Scans the query's range in up to one part per core, in parallel on the pool's reader
    /// connections, and merges the parts' groups.
    ///
    /// Every part reads only charges up to the highest id at the start: charges are append-only,
    /// so together the parts see the ledger exactly as it stood then, whatever is written meanwhile.
    public func usage(_ query: UsageQuery) async throws -> UsageTable {
        let from = query.from.millisecondsSince1970
        let until = query.until.millisecondsSince1970
        let bounds = try await read { db -> (Int64, Int64, Int64)? in
            guard let lastID = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM charges") else { return nil }
            let row = try Row.fetchOne(
                db, sql: "SELECT MIN(at), MAX(at) FROM charges WHERE at >= ? AND at < ? AND id <= ?",
                arguments: [from, until, lastID])
            guard let first: Int64 = row?[0], let last: Int64 = row?[1] else { return nil }
            return (first, last, lastID)
        }
        guard let (first, last, lastID) = bounds else { return .empty }
        let parts = Int64(max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)))
        let step = max(1, (last - first + parts) / parts)
        let ranges = Array(stride(from: first, through: last, by: Int64.Stride(step))).map {
            ($0, min($0 + step, last + 1))
        }
        let aggregators = try await withThrowingTaskGroup(of: (Int, UsageAggregator).self) { group in
            for (index, range) in ranges.enumerated() {
                group.addTask {
                    let aggregator = try await self.read { db in
                        try Self.aggregate(db, query, from: range.0, until: range.1, lastID: lastID)
                    }
                    return (index, aggregator)
                }
            }
            var results: [(Int, UsageAggregator)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var merged = aggregators[0]
        for part in aggregators.dropFirst() { merged.merge(part) }
        return merged.table()
    }

    /// Groups the charges of `[from, until)` (milliseconds) with ids up to `lastID`, reading the
    /// covering index in time order (the index carries the rowid too).
    static func aggregate(
        _ db: Database, _ query: UsageQuery, from: Int64, until: Int64, lastID: Int64
    ) throws -> UsageAggregator {
        var sql = "SELECT \(UsageAggregator.columns) FROM charges WHERE at >= ? AND at < ? AND id <= ?"
        var arguments: StatementArguments = [from, until, lastID]
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
        return aggregator
    }

    public func charges(from: Date, until: Date, org: String?) async throws -> [Charge] {
        try await read { db in
            var sql = "SELECT \(Self.chargeColumns) FROM charges WHERE at >= ? AND at < ?"
            var arguments: StatementArguments = [from.millisecondsSince1970, until.millisecondsSince1970]
            if let org {
                sql += " AND org = ?"
                arguments += [org]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY at, id", arguments: arguments).map {
                try Self.charge(from: $0)
            }
        }
    }

    public func completedSessionCosts(
        agent: String, model: String, unit: BillingUnit, limit: Int
    ) async throws -> [Amount] {
        try await read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(SUM(charges.amount), 0) FROM sessions
                    JOIN charges ON charges.session = sessions.id AND charges.unit = ?
                    WHERE sessions.state = 'completed' AND sessions.agent = ?
                        AND COALESCE(sessions.actual_model, sessions.model) = ?
                    GROUP BY sessions.id ORDER BY sessions.id DESC LIMIT ?
                    """,
                arguments: [unit.rawValue, agent, model, limit]
            ).map { Amount(unit, minorUnits: $0) }
        }
    }

    /// `YYYY-MM-DD` of a day number since 1970 (UTC).
    static func dayText(_ day: Int64) -> String {
        CivilDate.text(days: day)
    }
}
