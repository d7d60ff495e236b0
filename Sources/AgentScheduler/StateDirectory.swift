import AgentSchedulerLedger
import Foundation

/// Where a workspace keeps its state: `.agentsched/` inside it, or `--state DIR` / `AGENTSCHED_STATE`.
public struct StateDirectory: Sendable, Hashable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// `explicit`, else `AGENTSCHED_STATE`, else `WORKSPACE/.agentsched`.
    public init(
        workspace: String, explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        if let explicit {
            path = explicit
        } else if let fromEnvironment = environment["AGENTSCHED_STATE"], !fromEnvironment.isEmpty {
            path = fromEnvironment
        } else {
            path = (workspace as NSString).appendingPathComponent(".agentsched")
        }
    }

    /// The ledger file.
    public var ledgerPath: String { (path as NSString).appendingPathComponent("ledger.sqlite") }

    /// Opens the workspace's ledger, creating it on first use.
    public func openLedger() throws -> SQLiteLedger {
        try SQLiteLedger(path: ledgerPath)
    }
}
