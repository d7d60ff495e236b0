import AgentSchedulerLedger
import ArgumentParser

/// A session id on the command line: decimal digits (`sessions show 12`).
extension SessionID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
