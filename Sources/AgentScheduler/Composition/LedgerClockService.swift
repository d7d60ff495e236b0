import AgentSchedulerLedger
import Logging
import ServiceLifecycle

/// Keeps a ``LedgerClock`` in step with the ledger: measures at once, then every `interval`,
/// until the group shuts down (its wait between measurements ends at once then, so a `run
/// --until-idle` exits as soon as its sessions have). A failed measurement keeps the last offset
/// (the ledger's own failures surface where it is written).
struct LedgerClockService: Service {
    let clock: LedgerClock
    let ledger: any LeaseLedger
    var interval: Duration = .seconds(30)
    let logger = Logger(label: "agentsched.clock")

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await clock.synchronize(with: ledger)
                } catch {
                    logger.debug("the ledger's clock could not be read", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
