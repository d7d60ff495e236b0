import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

/// The queue `run` processes share: claims within limits, fair share, cancel requests, steering.
@Suite("Ledger queue")
struct QueueTests {
    static let limits = ["acme": ConcurrencyPolicy(sessions: 3, perRepository: 2, perUser: 2)]

    static func register(_ ledger: any Ledger, _ workers: WorkerID...) async throws {
        for worker in workers {
            try await ledger.registerWorker(
                WorkerLease(id: worker, pid: 1, host: "test", expiresAt: Acme.now + 3600), at: Acme.now)
        }
    }

    @discardableResult
    static func queue(
        _ ledger: any Ledger, issue: Int, repository: String = "acme/api", user: String = "alice",
        priority: Int = 0, at offset: TimeInterval = 0
    ) async throws -> SessionID {
        try await ledger.createSession(
            NewSession(
                org: "acme", repository: repository, issue: issue, agent: "implementer", assigner: user,
                model: "claude-sonnet-4.5", priority: priority),
            at: Acme.now + offset
        ).id
    }

    static func claim(_ ledger: any Ledger, _ worker: WorkerID, slots: Int) async throws -> [SessionRecord] {
        try await ledger.claim(ClaimRequest(worker: worker, slots: slots, limits: limits, at: Acme.now + 1))
    }

    @Test(
        "claims from several workers together stay within the organisation, repository and user limits",
        arguments: LedgerEngine.available)
    func limitsAcrossWorkers(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            try await Self.register(ledger, "w1", "w2")
            for issue in 1...4 {
                try await Self.queue(ledger, issue: issue, repository: "acme/api", user: "alice")
                try await Self.queue(ledger, issue: 10 + issue, repository: "acme/web", user: "bob")
            }
            let first = try await Self.claim(ledger, "w1", slots: 10)
            let second = try await Self.claim(ledger, "w2", slots: 10)
            #expect(first.count + second.count == 3)
            #expect(first.allSatisfy { $0.worker == "w1" && $0.state == .queued })
            let counts = try await ledger.activeCounts()
            #expect(counts.organisations["acme"] == 3)
            #expect(counts.repositories.values.allSatisfy { $0 <= 2 })
            #expect(counts.users.values.allSatisfy { $0 <= 2 })
            #expect(try await Self.claim(ledger, "w2", slots: 10).isEmpty)
        }
    }

    @Test(
        "fair share: the user served least recently goes next; within a user, priority then age",
        arguments: LedgerEngine.available)
    func fairShare(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            try await Self.register(ledger, "w1")
            let alice1 = try await Self.queue(ledger, issue: 1, user: "alice", at: 0)
            let alice2 = try await Self.queue(ledger, issue: 2, user: "alice", priority: 5, at: 1)
            let bob1 = try await Self.queue(ledger, issue: 3, user: "bob", at: 2)
            let bob2 = try await Self.queue(ledger, issue: 4, user: "bob", at: 3)
            var order: [SessionID] = []
            for _ in 0..<4 {
                let claimed = try await Self.claim(ledger, "w1", slots: 1)
                #expect(claimed.count == 1)
                order += claimed.map(\.id)
                try await ledger.transition(claimed[0].id, to: .running, reason: nil, worker: "w1", at: Acme.now + 2)
                try await ledger.transition(claimed[0].id, to: .completed, reason: nil, worker: "w1", at: Acme.now + 3)
            }
            #expect(order == [alice2, bob1, alice1, bob2])
        }
    }

    @Test(
        "a claimed session belongs to its worker: others cannot move it; unclaim or retiring returns it",
        arguments: LedgerEngine.available)
    func ownership(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            try await Self.register(ledger, "w1", "w2")
            let id = try await Self.queue(ledger, issue: 1)
            #expect(try await Self.claim(ledger, "w1", slots: 1).map(\.id) == [id])
            await #expect(throws: LedgerError.heldByOtherWorker(session: id, worker: "w1")) {
                try await ledger.transition(id, to: .running, reason: nil, worker: "w2", at: Acme.now)
            }
            #expect(try await Self.claim(ledger, "w2", slots: 1).isEmpty)
            try await ledger.unclaim([id], worker: "w1", at: Acme.now)
            #expect(try await Self.claim(ledger, "w2", slots: 1).map(\.id) == [id])
            try await ledger.retireWorker("w2", at: Acme.now + 2)
            #expect(try await ledger.session(id)?.worker == nil)
            #expect(try await ledger.session(id)?.state == .queued)
        }
    }

    @Test(
        "cancel: a waiting session at once, a held one by asking its worker, a finished one not at all",
        arguments: LedgerEngine.available)
    func cancel(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            try await Self.register(ledger, "w1")
            let waiting = try await Self.queue(ledger, issue: 1)
            let held = try await Self.queue(ledger, issue: 2)
            guard case .cancelled(let record) = try await ledger.requestCancel(waiting, by: "carol", at: Acme.now)
            else {
                Issue.record("a waiting session is cancelled at once")
                return
            }
            #expect(record.state == .cancelled)
            #expect(record.reason == "cancelled by carol")
            #expect(try await Self.claim(ledger, "w1", slots: 5).map(\.id) == [held])
            try await ledger.transition(held, to: .running, reason: nil, worker: "w1", at: Acme.now)
            guard case .requested = try await ledger.requestCancel(held, by: "carol", at: Acme.now) else {
                Issue.record("a held session's worker is asked")
                return
            }
            #expect(try await ledger.controls(worker: "w1").cancels == [held])
            try await ledger.transition(held, to: .cancelled, reason: "cancelled", worker: "w1", at: Acme.now)
            #expect(try await ledger.controls(worker: "w1").isEmpty)
            guard case .alreadyFinal = try await ledger.requestCancel(held, by: nil, at: Acme.now) else {
                Issue.record("a finished session stays as it is")
                return
            }
        }
    }

    @Test(
        "steering messages wait for the worker holding the session, once each; a finished session takes none",
        arguments: LedgerEngine.available)
    func steering(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            try await Self.register(ledger, "w1")
            let id = try await Self.queue(ledger, issue: 1)
            let first = try await ledger.steer(id, message: "Add a test too.", by: "alice", at: Acme.now)
            #expect(try await ledger.controls(worker: "w1").steering.isEmpty)
            _ = try await Self.claim(ledger, "w1", slots: 1)
            try await ledger.transition(id, to: .running, reason: nil, worker: "w1", at: Acme.now)
            let waiting = try await ledger.controls(worker: "w1").steering
            #expect(waiting.map(\.id) == [first])
            #expect(waiting.first?.message == "Add a test too.")
            #expect(try await ledger.markDelivered(first, refusal: nil, at: Acme.now))
            #expect(try await ledger.controls(worker: "w1").steering.isEmpty)
            #expect(try await ledger.markDelivered(first, refusal: nil, at: Acme.now) == false, "delivered once")
            try await ledger.transition(id, to: .completed, reason: nil, worker: "w1", at: Acme.now)
            await #expect(throws: LedgerError.sessionFinal(session: id, state: .completed)) {
                try await ledger.steer(id, message: "Too late.", by: nil, at: Acme.now)
            }
        }
    }
}
