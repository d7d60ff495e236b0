import AgentSchedulerLedger
import GRDB

/// Session ids are stored as their number, in `INTEGER` columns.
extension SessionID: StatementBinding {}
extension SessionID: SQLExpressible {}
extension SessionID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> SessionID? {
        Int64.fromDatabaseValue(value).map(SessionID.init(rawValue:))
    }
}
