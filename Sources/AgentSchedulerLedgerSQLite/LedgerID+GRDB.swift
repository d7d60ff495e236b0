import AgentSchedulerLedger
import GRDB

/// Ledger ids are stored as their number, in `INTEGER` columns.
extension LedgerID: StatementBinding {}
extension LedgerID: SQLExpressible {}
extension LedgerID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> LedgerID? {
        Int64.fromDatabaseValue(value).map(LedgerID.init(rawValue:))
    }
}
