import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation
import Logging
import ServiceLifecycle

/// `agentsched run`: claims queued sessions from the ledger and runs them, at most
/// `options.concurrency` at once here and within every organisation's limits across all `run`
/// processes of the workspace (DESIGN §3–§5).
///
/// A service: `run()` registers the process's lease, keeps it fresh, and loops — reclaim dead
/// workers' leases, unblock sessions whose budget came back, deliver cancel requests and steering
/// messages, claim and admit sessions for free slots, start them — until cancelled, or until idle
/// with `untilIdle`. On graceful shutdown (SIGINT, SIGTERM through a `ServiceGroup`) it stops
/// claiming, stops every running session at a safe point as `interrupted`, releases what they
/// held, and retires its lease.
///
/// When the ledger becomes unusable — a claim, lease renewal, housekeeping write or the check
/// before a model request fails, or the ledger file is deleted or replaced — it sends no further
/// model request, stops the same way, and `run()` throws `LedgerUnusable`, naming the sessions
/// that may stay reserved until the lease expires. Before that, unless the file itself is gone, it
/// retires its lease as soon as the ledger answers again (a database that comes back), with
/// backoff, for at most one lease duration: its sessions become `interrupted` and their
/// reservations are released then, not only when another process reclaims the lease.
public struct Scheduler: Service {
    public var ledger: any Ledger
    public var workspaces: WorkspaceSource
    public var state: StateDirectory
    public var clients: ModelClients
    public var clock: any WallClock
    public var options: SchedulerOptions
    public var observer: any SchedulerObserver
    /// The forges of GitHub repositories: roles at admission and tool calls, clones, pull requests.
    public var forges: ForgeDirectory
    let logger = Logger(label: "agentsched.scheduler")

    public init(
        ledger: any Ledger, workspaces: WorkspaceSource, state: StateDirectory, clients: ModelClients,
        clock: any WallClock = SystemWallClock(), options: SchedulerOptions, observer: any SchedulerObserver,
        forges: ForgeDirectory
    ) {
        self.forges = forges
        self.ledger = ledger
        self.workspaces = workspaces
        self.state = state
        self.clients = clients
        self.clock = clock
        self.options = options
        self.observer = observer
    }

    /// What one turn of the control loop hears back from its children.
    private enum Wakeup: Sendable {
        case finished(SessionID)
        case tick
        case leaseEnded((any Error)?)
        case eventsFlushed
    }

    public func run() async throws {
        let running = RunningSessions()
        let fault = LedgerFault(path: state.ledger.description)
        let keeper = LeaseKeeper(
            ledger: ledger, worker: options.worker, duration: options.leaseDuration,
            renewEvery: options.leaseDuration / 3, wallClock: clock, sleepClock: ContinuousClock())
        try await keeper.register()
        await observer.observe(
            .notice(
                "worker \(options.worker) started ("
                    + Self.concurrencyText(options.concurrency, policies: await workspaces.workspace().policies) + ")"))
        let events = EventBuffer(ledger: ledger)
        let bubblewrap = await Bubblewrap.probe()
        if case .failure(let reason) = bubblewrap {
            await observer.observe(.notice("no sandbox: \(reason); sessions run without execute"))
        }
        let runner = SessionRunner(
            ledger: ledger, events: events, clients: clients, state: state, workspaces: workspaces, clock: clock,
            observer: observer, worker: options.worker, bubblewrap: bubblewrap, forges: forges)
        let leaseRetired = try await withGracefulShutdownHandler {
            await withTaskGroup(of: Wakeup.self) { group in
                group.addTask {
                    do {
                        try await keeper.run()
                        return .leaseEnded(nil)
                    } catch {
                        return .leaseEnded(error)
                    }
                }
                group.addTask {
                    await events.run()
                    return .eventsFlushed
                }
                group.addTask { await Self.tick(after: options.pollInterval) }
                await loop(group: &group, running: running, runner: runner, fault: fault)
                group.cancelAll()
                // The keeper returns (rather than throws) once it retired the lease.
                var retired = false
                for await wakeup in group {
                    if case .leaseEnded(nil) = wakeup { retired = true }
                }
                return retired
            }
        } onGracefulShutdown: {
            running.drain()
        }
        if let reason = fault.reason {
            if !leaseRetired, fault.checkFile() == nil { await retireAfterFault() }
            throw await unusable(reason, fault: fault)
        }
    }

    /// The error for an unusable ledger: the sessions this worker still holds reservations for,
    /// when the ledger can still be read, else every session that was running at the failure.
    private func unusable(_ reason: String, fault: LedgerFault) async -> LedgerUnusable {
        var reserved = fault.runningAtFailure
        if fault.checkFile() == nil, let open = try? await ledger.openReservations() {
            let held = Set(open.filter { $0.worker == options.worker }.compactMap(\.context.session))
            let stillActive = (try? await ledger.sessions(in: [.running]))?.filter { reserved.contains($0.id) }
            reserved = held.union(stillActive.map { Set($0.map(\.id)) } ?? reserved)
        }
        return LedgerUnusable(reason: reason, stillReserved: reserved.sorted(), leaseDuration: options.leaseDuration)
    }

    private static func tick(after interval: Duration) async -> Wakeup {
        try? await Task.sleep(for: interval)
        return .tick
    }

    private func loop(
        group: inout TaskGroup<Wakeup>, running: RunningSessions, runner: SessionRunner, fault: LedgerFault
    ) async {
        var lastHousekeeping: ContinuousClock.Instant?
        var leaseLost = false
        // Claim at once when a tick came or enough slots are free; a claim reads the whole queue,
        // so refilling one slot per finished session would cost a queue scan per session.
        var ticked = true
        while true {
            var claimedAny = false
            var unblockedAny = false
            if !(running.isDraining || leaseLost), fault.reason == nil,
                lastHousekeeping.map({ ContinuousClock.now - $0 >= options.housekeepingInterval }) ?? true
            {
                lastHousekeeping = .now
                if let reason = fault.checkFile() {
                    fault.record(reason, running: running.ids)
                } else {
                    switch await housekeeping() {
                    case .success(let changed): unblockedAny = changed
                    case .failure(let error): fault.record("housekeeping failed: \(error)", running: running.ids)
                    }
                }
                if let reason = fault.reason {
                    await observer.observe(.notice("stopping: the ledger is unusable: \(reason)"))
                    running.stopAll(.draining)
                }
            }
            let stopping = running.isDraining || leaseLost || fault.reason != nil
            if !stopping {
                await deliverControls(running: running)
                let free = options.concurrency - running.count
                if ticked || free >= options.claimBatch {
                    claimedAny = await claimAndStart(group: &group, running: running, runner: runner, fault: fault)
                    ticked = false
                }
            }
            if running.count == 0,
                stopping || fault.reason != nil || (options.untilIdle && !claimedAny && !unblockedAny)
            {
                return
            }
            switch await group.next() {
            case .finished(let session)?:
                running.remove(session)
            case .tick?:
                ticked = true
                group.addTask { await Self.tick(after: options.pollInterval) }
            case .leaseEnded(let error)?:
                if let error {
                    logger.error("lease lost", metadata: ["error": "\(error)"])
                    await observer.observe(.notice("stopping: \(error)"))
                    fault.record("the worker's lease could not be renewed: \(error)", running: running.ids)
                }
                leaseLost = true
                running.stopAll(.draining)
            case .eventsFlushed?, nil:
                return
            }
        }
    }

    /// Claims sessions for the free slots, admits each, and starts those admitted.
    /// Returns whether anything was claimed.
    private func claimAndStart(
        group: inout TaskGroup<Wakeup>, running: RunningSessions, runner: SessionRunner, fault: LedgerFault
    ) async -> Bool {
        let slots = options.concurrency - running.count
        guard slots > 0 else { return false }
        let workspace = await workspaces.workspace()
        let limits = Dictionary(
            workspace.policies.map { ($0.org, $0.concurrency) }, uniquingKeysWith: { first, _ in first })
        let claimed: [SessionRecord]
        do {
            claimed = try await ledger.claim(
                ClaimRequest(worker: options.worker, slots: slots, limits: limits, at: clock.now()))
        } catch {
            logger.error("claim failed", metadata: ["error": "\(error)"])
            await observer.observe(.notice("could not claim sessions: \(error); stopping"))
            fault.record("claiming sessions failed: \(error)", running: running.ids)
            running.stopAll(.draining)
            return false
        }
        for record in claimed {
            switch await runner.admit(record) {
            case .start(let admitted):
                let entry = RunningSessions.Entry(
                    signal: StopSignal(), inbox: SteeringInbox(), billing: admitted.billing)
                running.add(record.id, entry)
                await admitted.billing.whenLedgerFails { [observer] error in
                    guard fault.reason == nil else { return }
                    fault.record("the ledger failed before a model request: \(error)", running: running.ids)
                    await observer.observe(.notice("stopping: the ledger is unusable: \(error)"))
                    running.stopAll(.draining)
                }
                group.addTask {
                    _ = await runner.run(admitted, signal: entry.signal, inbox: entry.inbox)
                    return .finished(record.id)
                }
            case .settled:
                break
            case .deferred(let reason):
                await observer.observe(.notice(reason))
            }
        }
        return !claimed.isEmpty
    }

    /// Hands cancel requests and steering messages from other processes to the running sessions.
    private func deliverControls(running: RunningSessions) async {
        guard running.count > 0, let controls = try? await ledger.controls(worker: options.worker),
            !controls.isEmpty
        else { return }
        for session in controls.cancels {
            running.entry(session)?.signal.fire(.cancelled(by: nil))
        }
        for message in controls.steering {
            guard let entry = running.entry(message.session) else { continue }
            switch await entry.billing.deliverSteering(message.id) {
            case .deliver:
                await entry.inbox.send(message.message)
            case .refused(let refusal):
                await observer.observe(.notice("session \(message.session): steering refused: \(refusal)"))
            case .skip:
                break
            }
        }
    }
}
