import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import agentsched_ledger_worker

/// DESIGN §5.2: a dead worker's reservations are released exactly once when its lease expires.
@Suite("Worker leases")
struct WorkerLeaseTests {
    @Test(
        "a worker killed with SIGKILL is reclaimed by another process once its lease expires", .timeLimit(.minutes(2)),
        arguments: LedgerEngine.available)
    func killedWorker(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, path in
            let count = 5
            let held = try await WorkerProcess.Held([
                "hold", "--ledger", path, "--worker", "doomed", "--lease-seconds", "30", "--reservations", "\(count)",
            ])
            #expect(await held.killAndWait() == .signalled(SIGKILL))

            // What the worker left behind: a running session and its open reservations.
            let started = try #require(
                try await ledger.events(session: nil, after: 0).first { $0.kind == .workerStarted })
            #expect(started.data["worker"] == "doomed")
            #expect(started.data["pid"] == "\(held.program.processIdentifier)")
            let session = try #require(try await ledger.sessions(in: [.running]).first)
            #expect(session.worker == "doomed")
            let open = try await ledger.openReservations()
            #expect(open.count == count)
            #expect(open.allSatisfy { $0.worker == "doomed" && $0.context.session == session.id })
            let spend = Spend(
                policy: StressFixture.policy, session: session.id, user: "alice", agent: "reviewer",
                repository: "acme/api", model: "claude-sonnet-4.5", kind: .request)
            let scopes = BudgetEngine.scopes(for: spend, at: open[0].createdAt)
            let held1 = ScopeUsage(used: .zero(.premiumRequests), reserved: PremiumRequests(Int64(count)).amount)
            #expect(try await ledger.usage(of: scopes) == Array(repeating: held1, count: scopes.count))

            // Before the lease (30 s from registration, on the ledger's times: however slow the machine,
            // the worker's own reservations all fall inside it) expires, nothing is reclaimed.
            let lastEvent = try await ledger.events(session: nil, after: 0).last!.id
            for offset: TimeInterval in [0, 15, 29.9] {
                #expect(try await ledger.reclaimExpiredLeases(now: started.at + offset).isEmpty)
            }
            #expect(try await ledger.events(session: nil, after: lastEvent) == [])
            #expect(try await ledger.openReservations() == open)

            // After it expires, this process reclaims every reservation exactly once.
            let now = started.at + 31
            let report = try await ledger.reclaimExpiredLeases(now: now)
            #expect(report.workers == ["doomed"])
            #expect(report.releasedReservations == open.map(\.id))
            #expect(report.interruptedSessions == [session.id])
            #expect(try await ledger.openReservations() == [])
            #expect(
                try await ledger.usage(of: scopes)
                    == Array(repeating: ScopeUsage.zero(.premiumRequests), count: scopes.count))
            #expect(try await ledger.charges(from: .distantPast, until: .distantFuture, org: nil) == [])

            let events = try await ledger.events(session: nil, after: lastEvent)
            let released = events.filter { $0.kind == .budgetReleased }
            #expect(released.map { $0.data["reservation"] } == open.map { "\($0.id)" })
            #expect(released.allSatisfy { $0.data["reason"] == "lease of worker doomed expired" && $0.at == now })
            #expect(
                events.map(\.kind) == Array(repeating: EventKind.budgetReleased, count: count) + [
                    .sessionState, .leaseReclaimed,
                ])
            #expect(
                events[count].data == [
                    "from": "running", "to": "interrupted", "reason": "lease of worker doomed expired",
                ])
            #expect(events[count + 1].data == ["worker": "doomed", "reservations": "\(count)", "sessions": "1"])

            let interrupted = try #require(try await ledger.session(session.id))
            #expect(interrupted.state == .interrupted)
            #expect(interrupted.worker == nil)
            #expect(interrupted.reason == "lease of worker doomed expired")

            // The worker has ended: it cannot renew, and a second reclaim finds nothing.
            await #expect(throws: LedgerError.leaseLost(worker: "doomed")) {
                try await ledger.renewLease(worker: "doomed", until: now + 3600, at: now)
            }
            #expect(try await ledger.reclaimExpiredLeases(now: now + 86400).isEmpty)
            let engine = BudgetEngine(
                ledger: ledger, catalog: StressFixture.catalog, clock: SystemWallClock(), worker: "late")
            for reservation in open {
                await #expect(throws: LedgerError.reservationResolved(id: reservation.id, state: "released")) {
                    try await engine.commit(reservation, policy: StressFixture.policy)
                }
                await #expect(throws: LedgerError.reservationResolved(id: reservation.id, state: "released")) {
                    try await engine.release(reservation, reason: "again")
                }
            }
            #expect(try await ledger.events(session: nil, after: lastEvent) == events)
        }
    }

    @Test(
        "reclaiming releases only the dead worker's reservations and interrupts only its active sessions",
        arguments: LedgerEngine.available)
    func reclaimOnlyTheDead(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let start = Acme.now
            let policy = Acme.policy()
            try await ledger.registerWorker(
                WorkerLease(id: "dead", pid: 10, host: "h", expiresAt: start + 60), at: start)
            try await ledger.registerWorker(
                WorkerLease(id: "live", pid: 11, host: "h", expiresAt: start + 600), at: start)
            func session(_ issue: Int, worker: WorkerID?, path: [SessionState]) async throws -> SessionID {
                let id = try await ledger.createSession(
                    NewSession(
                        org: "acme", repository: "acme/api", issue: issue, agent: "reviewer", assigner: "alice",
                        model: "sonnet"),
                    at: start
                ).id
                for state in path {
                    try await ledger.transition(id, to: state, reason: nil, worker: worker, at: start)
                }
                return id
            }
            let running = try await session(1, worker: "dead", path: [.running])
            let throttled = try await session(2, worker: "dead", path: [.running, .throttled])
            let finished = try await session(3, worker: "dead", path: [.running, .completed])
            let other = try await session(4, worker: "live", path: [.running])
            let dead = BudgetEngine(
                ledger: ledger, catalog: Acme.catalog, clock: ManualWallClock(start), worker: "dead")
            let live = BudgetEngine(
                ledger: ledger, catalog: Acme.catalog, clock: ManualWallClock(start), worker: "live")
            var deadReservations: [ReservationID] = []
            for session in [running, throttled] {
                guard case .reserved(let reservation) = try await dead.reserve(Acme.spend(policy, session: session))
                else {
                    Issue.record("refused")
                    return
                }
                deadReservations.append(reservation.id)
            }
            guard case .reserved(let kept) = try await live.reserve(Acme.spend(policy, session: other)) else {
                Issue.record("refused")
                return
            }

            let report = try await ledger.reclaimExpiredLeases(now: start + 120)
            #expect(
                report
                    == ReclaimReport(
                        workers: ["dead"], releasedReservations: deadReservations,
                        interruptedSessions: [running, throttled]))
            #expect(try await ledger.openReservations().map(\.id) == [kept.id])
            #expect(try await ledger.session(running)?.state == .interrupted)
            #expect(try await ledger.session(throttled)?.state == .interrupted)
            #expect(try await ledger.session(finished)?.state == .completed)
            #expect(try await ledger.session(other)?.state == .running)
            #expect(
                try await ledger.usage(of: [Acme.orgScope(policy, at: start)]) == [
                    ScopeUsage(used: .zero(.premiumRequests), reserved: amount("1"))
                ])
            try await ledger.renewLease(worker: "live", until: start + 1200, at: start)
        }
    }

    @Test(
        "a renewed lease outlives its first expiry; the expiry instant itself is not yet expired",
        arguments: LedgerEngine.available)
    func renewal(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let start = Acme.now
            try await ledger.registerWorker(WorkerLease(id: "w", pid: 1, host: "h", expiresAt: start + 10), at: start)
            try await ledger.renewLease(worker: "w", until: start + 20, at: start)
            #expect(try await ledger.reclaimExpiredLeases(now: start + 15).isEmpty)
            #expect(try await ledger.reclaimExpiredLeases(now: start + 20).isEmpty)
            #expect(try await ledger.reclaimExpiredLeases(now: start + 20.001).workers == ["w"])
            await #expect(throws: LedgerError.leaseLost(worker: "w")) {
                try await ledger.renewLease(worker: "w", until: start + 60, at: start)
            }
            #expect(try await ledger.reclaimExpiredLeases(now: start + 100).isEmpty)
        }
    }

    @Test("a retired worker cannot renew its lease and is never reclaimed", arguments: LedgerEngine.available)
    func retirement(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let start = Acme.now
            try await ledger.registerWorker(WorkerLease(id: "w", pid: 1, host: "h", expiresAt: start + 10), at: start)
            try await ledger.retireWorker("w", at: start + 5)
            await #expect(throws: LedgerError.leaseLost(worker: "w")) {
                try await ledger.renewLease(worker: "w", until: start + 60, at: start)
            }
            #expect(try await ledger.reclaimExpiredLeases(now: start + 100).isEmpty)
            let kinds = try await ledger.events(session: nil, after: 0).map(\.kind)
            #expect(kinds == [.workerStarted, .workerRetired])
        }
    }

    @Test(
        "reserving for a worker that never registered fails closed and holds nothing", arguments: LedgerEngine.available
    )
    func unregisteredWorker(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let policy = Acme.policy()
            let engine = BudgetEngine(
                ledger: ledger, catalog: Acme.catalog, clock: ManualWallClock(Acme.now), worker: "ghost")
            await #expect(throws: LedgerError.noSuchWorker("ghost")) {
                _ = try await engine.reserve(Acme.spend(policy))
            }
            let open = try await ledger.openReservations()
            let usage = try await ledger.usage(of: [Acme.orgScope(policy, at: Acme.now)])
            #expect(open == [])
            #expect(usage == [ScopeUsage.zero(.premiumRequests)])
        }
    }

    @Test("a worker whose lease was reclaimed cannot reserve again", arguments: LedgerEngine.available)
    func reclaimedWorkerReserves(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            try await ledger.renewLease(worker: "w1", until: Acme.now + 1, at: Acme.now)
            #expect(try await ledger.reclaimExpiredLeases(now: Acme.now + 2).workers == ["w1"])
            // A stalled process that wakes up after its lease was reclaimed must not hold budget that no
            // reclaim will ever return (reclaim only looks at workers that have not ended).
            await #expect(throws: LedgerError.leaseLost(worker: "w1")) {
                _ = try await fixture.engine.reserve(Acme.spend(Acme.policy()))
            }
            #expect(try await ledger.openReservations() == [])
        }
    }

    @Test(
        "retiring a worker with open reservations does not leave them open forever", arguments: LedgerEngine.available)
    func retiredWorkerReservations(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            _ = try await fixture.reserve(Acme.spend(Acme.policy()))
            try await ledger.retireWorker("w1", at: Acme.now + 1)
            #expect(try await ledger.openReservations() == [])
            let released = try await ledger.events(session: nil, after: 0).filter { $0.kind == .budgetReleased }
            #expect(released.map { $0.data["reason"] } == ["worker w1 stopped"])
            #expect(try await ledger.reclaimExpiredLeases(now: Acme.now + 10 * 365 * 86400).isEmpty)
        }
    }
}
