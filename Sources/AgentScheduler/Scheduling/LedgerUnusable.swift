import AgentSchedulerLedger
import Foundation

/// `run` stopped because the ledger could not be written: why, and which sessions may stay
/// reserved (their concurrency slots and premium requests held) until this worker's lease expires
/// and another `run` reclaims them.
public struct LedgerUnusable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// Sessions whose reservations or running state could not be released, in id order.
    public var stillReserved: [SessionID]
    public var leaseDuration: Duration

    public var description: String {
        var text = "the ledger could not be used (\(reason)); this run stopped and released what it could. "
        if stillReserved.isEmpty {
            text += "Nothing it held stays reserved."
        } else {
            let list = stillReserved.map { "\($0)" }.joined(separator: ", ")
            text +=
                "\(stillReserved.count == 1 ? "Session" : "Sessions") \(list) \(stillReserved.count == 1 ? "stays" : "stay") "
                + "reserved (slots and premium requests held) until this worker's lease expires, at most "
                + "\(leaseDuration.components.seconds) s after its last renewal; then the next run reclaims "
                + "\(stillReserved.count == 1 ? "it" : "them")."
        }
        return text + " Fix the ledger (free disk space, or restore the state folder) before running again."
    }
}
