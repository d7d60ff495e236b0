import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Synchronization

/// The ledger's clock as this host reads it: the host's clock corrected by the offset to the
/// ledger's last measured, so budget periods are computed on the database's time, which every host
/// shares (DESIGN §12), without a round trip per reading.
///
/// Leases and claims never use it: the PostgreSQL engine stamps those with the server's `now()`
/// itself. On SQLite, whose clock is the host's, the offset is zero. Until the first
/// ``synchronize(with:)`` it reads the host's clock.
public final class LedgerClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date() + offset.withLock { $0 } }

    /// Measures the offset: the ledger's time against the middle of the round trip that read it.
    public func synchronize(with ledger: any LeaseLedger) async throws {
        let sent = Date()
        let ledgerTime = try await ledger.now()
        let received = Date()
        let measured = ledgerTime.timeIntervalSince(sent + received.timeIntervalSince(sent) / 2)
        offset.withLock { $0 = measured }
    }

    /// The offset last measured, in seconds (positive when the ledger's clock is ahead).
    public var measuredOffset: TimeInterval { offset.withLock { $0 } }
}
