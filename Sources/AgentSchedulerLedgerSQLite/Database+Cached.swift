import AgentSchedulerLedger
import GRDB

extension Database {
    /// Runs `sql` through this connection's statement cache: prepared once, reused by every later call.
    ///
    /// The ledger's hot paths (reserve, commit, release) run about fifteen statements each; preparing
    /// them anew every time cost more than running them.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first row of a cached statement's result.
    func fetchOneCached(sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
