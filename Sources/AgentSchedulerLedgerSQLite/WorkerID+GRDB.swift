import AgentSchedulerLedger
import GRDB

/// Worker ids are stored as their text, in `TEXT` columns.
extension WorkerID: StatementBinding {}
extension WorkerID: SQLExpressible {}
extension WorkerID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> WorkerID? {
        String.fromDatabaseValue(value).map(WorkerID.init(rawValue:))
    }
}
