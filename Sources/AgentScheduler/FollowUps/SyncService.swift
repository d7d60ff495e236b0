import Logging
import ServiceLifecycle

/// `run --watch`: a `sync` pass every `interval` beside the scheduler, so review comments become
/// follow-ups without anyone running `sync`.
///
/// A pass that fails is logged and tried again at the next interval; the service ends with the
/// group's graceful shutdown. `report` hears of every pass that did something or failed.
public struct SyncService: Service {
    public var sync: FeedbackSync
    public var interval: Duration
    public var clock: any Clock<Duration>
    public var report: @Sendable (SyncReport) async -> Void

    public init(
        sync: FeedbackSync, interval: Duration, clock: any Clock<Duration> = ContinuousClock(),
        report: @escaping @Sendable (SyncReport) async -> Void = { _ in }
    ) {
        self.sync = sync
        self.interval = interval
        self.clock = clock
        self.report = report
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let result = try await sync.pass()
                    if !result.followUps.isEmpty || result.refused > 0 || !result.failures.isEmpty {
                        await report(result)
                    }
                } catch is CancellationError {
                    return
                } catch {
                    sync.logger.warning("sync pass failed: \(error)")
                }
                try? await clock.sleep(for: interval)
            }
        }
    }
}
