import AgentSchedulerLedger
import Logging
import Synchronization

/// Collects the agent events of every running session and writes them to the ledger in batches:
/// one transaction per `flush` instead of one per event, which is what lets hundreds of sessions
/// run at once on one SQLite file.
///
/// `run()` flushes every `interval` until cancelled, then once more. A session flushes before each
/// of its state changes, so its log stays in order; an event waits at most `interval` otherwise,
/// and a process killed outright loses at most that much of its sessions' logs (never a state,
/// reservation or charge, which are written at once).
final class EventBuffer: Sendable {
    private let ledger: any Ledger
    private let interval: Duration
    private let pending = Mutex<[NewEvent]>([])
    /// Serialises flushes so that batches land in the order they were taken.
    private let flushing = FlushGate()
    private let logger = Logger(label: "agentsched.events")
    /// Flush at once when this many events wait.
    static let batchLimit = 512

    init(ledger: any Ledger, interval: Duration = .milliseconds(100)) {
        self.ledger = ledger
        self.interval = interval
    }

    func append(_ event: NewEvent) async {
        let count = pending.withLock { events in
            events.append(event)
            return events.count
        }
        if count >= Self.batchLimit { await flush() }
    }

    /// Writes every waiting event.
    func flush() async {
        await flushing.run {
            let batch = pending.withLock { events in
                defer { events = [] }
                return events
            }
            guard !batch.isEmpty else { return }
            do {
                try await ledger.record(batch)
            } catch {
                logger.warning("\(batch.count) events not recorded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Flushes every `interval` until cancelled, then a last time.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await flush()
        }
        await flush()
    }
}

/// Runs one body at a time, in the order callers arrive.
actor FlushGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run(_ body: @Sendable () async -> Void) async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        await body()
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
