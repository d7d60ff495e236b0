import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Logging
import Synchronization

/// Writes a running session's events to the ledger (in batches, through `EventBuffer`), tells the
/// observer what the agent is doing,
/// and moves the session to `throttled` while the provider rate-limits it and back to `running`
/// when an answer arrives (DESIGN §4).
final class SessionEventSink: AgentEventSink {
    let session: SessionRecord
    let ledger: any Ledger
    let buffer: EventBuffer
    let worker: WorkerID
    let clock: any WallClock
    let observer: any SchedulerObserver
    private let logger = Logger(label: "agentsched.session")
    /// Whether the session is `throttled` now; the loop emits one event at a time.
    private let throttled = Mutex(false)

    init(
        session: SessionRecord, ledger: any Ledger, buffer: EventBuffer, worker: WorkerID, clock: any WallClock,
        observer: any SchedulerObserver
    ) {
        self.session = session
        self.ledger = ledger
        self.buffer = buffer
        self.worker = worker
        self.clock = clock
        self.observer = observer
    }

    /// Whether the session ended up `throttled` (its final transition starts from there).
    var isThrottled: Bool { throttled.withLock { $0 } }

    func emit(_ event: AgentEvent) async {
        await buffer.append(
            NewEvent(event.ledgerPayload, session: session.id, org: session.org, at: clock.now()))
        switch event {
        case .requestStarted(let turn, _):
            await observer.observe(.activity(session: session.id, turn: turn, tool: nil))
        case .toolCalled(let turn, _, let name, _):
            await observer.observe(.activity(session: session.id, turn: turn, tool: name))
        case .requestFailed(_, "rate-limited", _, let message, let retryIn?):
            await move(to: .throttled, from: .running, reason: "\(message); retrying in \(retryIn)")
        case .responseReceived:
            await move(to: .running, from: .throttled, reason: nil)
        default:
            break
        }
    }

    private func move(to state: SessionState, from expected: SessionState, reason: String?) async {
        let isThrottled = throttled.withLock { $0 }
        guard isThrottled == (expected == .throttled) else { return }
        await buffer.flush()
        do {
            let record = try await ledger.transition(
                session.id, to: state, reason: reason, worker: worker, at: clock.now())
            throttled.withLock { $0 = state == .throttled }
            await observer.observe(.stateChanged(record, from: expected))
        } catch {
            logger.warning("transition failed", metadata: ["session": "\(session.id)", "error": "\(error)"])
        }
    }
}
