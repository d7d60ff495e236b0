import AgentSchedulerLedger
import ArgumentParser

/// A ledger id on the command line: decimal digits (`sessions show 12`).
extension LedgerID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
