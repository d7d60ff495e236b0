import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

/// What keeps the ledger honest when something around it fails or someone edits it: a steering
/// message delivered and charged once, unknown values refused and never guessed, and `ledger check`.
@Suite("Ledger integrity")
struct LedgerIntegrityTests {
    /// A running session of worker `w1` with one steering message waiting for it.
    static func steeredSession(_ fixture: EngineFixture) async throws -> (session: SessionID, message: Int64) {
        let ledger = fixture.ledger
        try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
        let message = try await ledger.steer(1, message: "Add a test too.", by: "alice", at: Acme.now)
        return (1, message)
    }

    @Test(
        "a steering message is charged and delivered in one write, once: a second commit for it charges nothing",
        arguments: LedgerEngine.available)
    func steeringChargedOnce(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let (session, message) = try await Self.steeredSession(fixture)
            let policy = Acme.policy()
            let spend = Acme.spend(policy, session: session, kind: .steering)
            let first = try await fixture.reserve(spend)
            _ = try await fixture.engine.commit(first, policy: policy, requests: 0, delivering: message)
            #expect(try await ledger.controls(worker: "w1").steering.isEmpty)
            let second = try await fixture.reserve(spend)
            await #expect(throws: LedgerError.alreadyDelivered(steering: message)) {
                try await fixture.engine.commit(second, policy: policy, requests: 0, delivering: message)
            }
            // The second hold is still open, so its owner can release it; only one charge exists.
            #expect(try await ledger.openReservations().map(\.id) == [second.id])
            try await fixture.engine.release(second, reason: "already delivered")
            #expect(try await ledger.charges(session: session).map(\.reservation) == [first.id])
            #expect(try await ledger.markDelivered(message, refusal: nil, at: Acme.now) == false)
        }
    }

    @Test(
        "a refused steering message is marked delivered with its refusal in the same write, once",
        arguments: LedgerEngine.available)
    func refusalRecordedOnce(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let (session, message) = try await Self.steeredSession(fixture)
            #expect(try await ledger.markDelivered(message, refusal: "the budget of acme is used up", at: Acme.now))
            #expect(try await !ledger.markDelivered(message, refusal: "the budget of acme is used up", at: Acme.now))
            let refused = try await ledger.events(session: session, after: 0).filter { $0.kind == .sessionSteerRefused }
            #expect(refused.map(\.data) == [["steering": "\(message)", "reason": "the budget of acme is used up"]])
        }
    }

    @Test(
        "a state or kind the code does not know is refused on the way in, and throws on the way out",
        arguments: LedgerEngine.available, [("sessions", "state"), ("events", "kind")])
    func unknownValuesFailClosed(engine: LedgerEngine, column: (table: String, name: String)) async throws {
        try await engine.withLedger { ledger, location in
            _ = try await EngineFixture(ledger)
            let edit = "UPDATE \(column.table) SET \(column.name) = 'paused' WHERE id = 1"
            await #expect(throws: (any Error).self, "the ledger's own check refuses it") {
                try await engine.execute(edit, at: location)
            }
            try await engine.execute(engine.droppingCheck(table: column.table, column: column.name), at: location)
            try await engine.execute(edit, at: location)
            let read: () async throws -> Void =
                column.table == "sessions"
                ? { _ = try await ledger.session(1) } : { _ = try await ledger.events(session: nil, after: 0) }
            do {
                try await read()
                Issue.record("a \(column.table).\(column.name) of 'paused' was read without an error")
            } catch LedgerError.corrupt(let what) {
                #expect(what.contains("paused"))
            }
        }
    }

    @Test(
        "ledger check finds nothing in a sound ledger, and names each broken invariant",
        arguments: LedgerEngine.available)
    func checkNamesViolations(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, location in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy()
            let charge = try await fixture.spend(Acme.spend(policy, session: 1))
            let open = try await fixture.reserve(Acme.spend(policy, session: 2))
            #expect(try await ledger.checkInvariants(now: Acme.now) == [])
            // A year later the worker's lease has expired and nobody reclaimed it.
            #expect(
                try await ledger.checkInvariants(now: Acme.now + 400 * 86400)
                    == [.reservationWithoutLiveLease(reservation: open.id, worker: "w1")])
            try await engine.execute("UPDATE budget_totals SET used = used + 5 WHERE scope = 'org:acme'", at: location)
            try await engine.execute("UPDATE charges SET session = 999 WHERE id = \(charge.id)", at: location)
            let violations = try await ledger.checkInvariants(now: Acme.now)
            #expect(violations.count == 2, "\(violations)")
            guard case .scopeTotalsDisagree(let scope, _, let kept, let computed) = violations.first else {
                Issue.record("no scope totals violation in \(violations)")
                return
            }
            #expect(scope == "org:acme")
            #expect(kept.used == computed.used + 5 && kept.reserved == computed.reserved)
            #expect(violations.last == .chargeWithoutSession(charge: charge.id, session: 999))
            #expect(
                violations.last?.description == "charge \(charge.id) names session 999, which the ledger does not hold")
        }
    }

    @Test("migrating again changes nothing and says which version the ledger is at", arguments: LedgerEngine.available)
    func migrateIsIdempotent(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let version = try await ledger.schemaVersion()
            #expect(version >= 1)
            let session = try await ledger.createSession(
                NewSession(org: "acme", repository: "acme/api", issue: 1, agent: "a", assigner: "alice", model: "m"),
                at: Acme.now)
            try await ledger.migrate()
            try await ledger.migrate()
            #expect(try await ledger.schemaVersion() == version)
            #expect(try await ledger.session(session.id) == session)
        }
    }
}
