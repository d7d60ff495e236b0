import AgentSchedulerLedger
import Logging
import ServiceLifecycle

/// Polls the ledger for new events, whoever wrote them (this process or any `run` on the
/// workspace), and hands them to every live stream through one `EventHub`.
///
/// A service of `serve`'s group: on graceful shutdown it ends every stream, so open
/// Server-Sent Events connections close and the HTTP server can drain.
public struct EventFeed: Service {
    let hub: EventHub
    let ledger: any Ledger
    /// How often the ledger is read: the bound on an event's latency to the browser.
    public var interval: Duration
    /// How often streams get a keep-alive comment.
    public var heartbeat: Duration
    let clock: any Clock<Duration>
    let logger = Logger(label: "agentsched.serve.feed")

    public init(
        ledger: any Ledger, interval: Duration = .milliseconds(50), heartbeat: Duration = .seconds(15),
        clock: any Clock<Duration> = ContinuousClock(), capacity: Int = 20_000
    ) {
        self.ledger = ledger
        self.interval = interval
        self.heartbeat = heartbeat
        self.clock = clock
        hub = EventHub(capacity: capacity)
    }

    public func run() async throws {
        await hub.start(after: (try? await ledger.latestEventID()) ?? 0)
        await cancelWhenGracefulShutdown {
            var sinceBeat = Duration.zero
            while !Task.isCancelled {
                do {
                    let events = try await ledger.events(session: nil, after: await hub.latest)
                    // Encoded here, once, for every stream that sends them.
                    await hub.publish(try events.map(EventFrame.init))
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("reading the ledger's events failed: \(error)")
                }
                sinceBeat += interval
                if sinceBeat >= heartbeat {
                    sinceBeat = .zero
                    await hub.heartbeat()
                }
                try? await clock.sleep(for: interval)
            }
        }
        await hub.finish()
    }
}
