import AgentSchedulerLedger
import Foundation

extension StateDirectory {
    /// The workspace's ledger when it exists, or `nil`: reports read, and never create state.
    public func existingLedger() throws -> SQLiteLedger? {
        guard FileManager.default.fileExists(atPath: ledgerPath) else { return nil }
        return try SQLiteLedger(path: ledgerPath)
    }
}
