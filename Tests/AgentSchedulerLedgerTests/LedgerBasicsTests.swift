import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

/// Sessions, events, reports and the ledger file itself.
@Suite("Ledger basics")
struct LedgerBasicsTests {
    /// DESIGN §4, plus the ways out that the scheduler needs: cancel from any waiting state, a running
    /// session blocked by its budget, and an interrupted one resumed directly, or blocked or denied
    /// when it is admitted again.
    static let allowed: [SessionState: Set<SessionState>] = [
        .queued: [.running, .denied, .blocked, .cancelled],
        .blocked: [.queued, .cancelled],
        .running: [.completed, .failed, .cancelled, .timedOut, .throttled, .interrupted, .blocked],
        .throttled: [.running, .failed, .cancelled, .timedOut, .interrupted],
        .interrupted: [.queued, .running, .blocked, .denied, .cancelled],
        .completed: [], .failed: [], .cancelled: [], .timedOut: [], .denied: [],
    ]

    /// How a new session reaches each state.
    static let paths: [SessionState: [SessionState]] = [
        .queued: [], .running: [.running], .blocked: [.blocked], .throttled: [.running, .throttled],
        .interrupted: [.running, .interrupted], .completed: [.running, .completed], .failed: [.running, .failed],
        .cancelled: [.cancelled], .timedOut: [.running, .timedOut], .denied: [.denied],
    ]

    static func newSession(issue: Int = 1, state: SessionState = .queued, reason: String? = nil) -> NewSession {
        NewSession(
            org: "acme", repository: "acme/api", issue: issue, title: "Fix the flaky test", agent: "reviewer",
            assigner: "alice", model: "claude-sonnet-4.5", priority: 2, premiumLimit: premium("12.5"), state: state,
            reason: reason)
    }

    @Test(
        "a session moves only along the state machine, with a session.state event each time",
        arguments: LedgerEngine.available, SessionState.allCases)
    func transitions(engine: LedgerEngine, from: SessionState) async throws {
        try await engine.withLedger { ledger, _ in
            let at = Acme.now
            for target in SessionState.allCases {
                let id = try await ledger.createSession(Self.newSession(), at: at).id
                for state in Self.paths[from]! {
                    try await ledger.transition(id, to: state, reason: nil, worker: "w1", at: at)
                }
                let before = try #require(try await ledger.session(id))
                #expect(before.state == from)
                let events = try await ledger.events(session: id, after: 0)
                let later = at + 60
                if Self.allowed[from]!.contains(target) {
                    let record = try await ledger.transition(id, to: target, reason: "because", worker: "w1", at: later)
                    #expect(record.state == target)
                    #expect(record.reason == "because")
                    #expect(record.worker == (target.isActive ? "w1" : nil))
                    #expect(record.updatedAt == later)
                    #expect(record.createdAt == at)
                    #expect(try await ledger.session(id) == record)
                    let added = try await ledger.events(session: id, after: events.last!.id)
                    #expect(added.map(\.kind) == [.sessionState])
                    #expect(
                        added.first?.data == [
                            "from": from.rawValue, "to": target.rawValue, "reason": "because", "worker": "w1",
                        ])
                    #expect(added.first?.at == later)
                    #expect(added.first?.org == "acme")
                } else {
                    await #expect(throws: LedgerError.invalidTransition(session: id, from: from, to: target)) {
                        try await ledger.transition(id, to: target, reason: "because", worker: "w1", at: later)
                    }
                    #expect(try await ledger.session(id) == before)
                    #expect(try await ledger.events(session: id, after: 0) == events)
                }
            }
        }
    }

    @Test("the state machine matches DESIGN §4, and final states are exactly those with no way out")
    func stateMachine() {
        for state in SessionState.allCases {
            #expect(state.successors == Self.allowed[state]!, "\(state)")
            #expect(state.isFinal == [.completed, .failed, .cancelled, .timedOut, .denied].contains(state))
            #expect(state.isActive == (state == .running || state == .throttled))
        }
        #expect(SessionState.timedOut.rawValue == "timed-out")
    }

    @Test(
        "a session is created queued or denied with its reason, and an unknown session cannot move",
        arguments: LedgerEngine.available)
    func creation(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let queued = try await ledger.createSession(Self.newSession(issue: 7), at: Acme.now)
            #expect(
                queued
                    == SessionRecord(
                        id: 1, org: "acme", repository: "acme/api", issue: 7, title: "Fix the flaky test",
                        agent: "reviewer", assigner: "alice", model: "claude-sonnet-4.5", state: .queued, priority: 2,
                        premiumLimit: premium("12.5"), createdAt: Acme.now, updatedAt: Acme.now))
            let denied = try await ledger.createSession(
                Self.newSession(issue: 8, state: .denied, reason: "alice has no role in acme/api"), at: Acme.now + 1)
            #expect(denied.id == 2)
            #expect(denied.state == .denied)
            #expect(denied.reason == "alice has no role in acme/api")
            let events = try await ledger.events(session: nil, after: 0)
            #expect(events.map(\.kind) == [.sessionCreated, .sessionCreated])
            #expect(events.map(\.session) == [1, 2])
            #expect(events[0].data == ["state": "queued", "agent": "reviewer", "issue": "7"])
            #expect(
                events[1].data == [
                    "state": "denied", "agent": "reviewer", "issue": "8", "reason": "alice has no role in acme/api",
                ])
            #expect(try await ledger.sessions(in: []) == [queued, denied])
            #expect(try await ledger.sessions(in: [.denied]) == [denied])
            #expect(try await ledger.sessions(in: [.running, .blocked]) == [])
            #expect(try await ledger.session(3) == nil)
            await #expect(throws: LedgerError.noSuchSession(3)) {
                try await ledger.transition(3, to: .running, reason: nil, worker: nil, at: Acme.now)
            }
        }
    }

    @Test("sessions are listed oldest first, filtered by state", arguments: LedgerEngine.available)
    func sessionOrder(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            // Created out of time order: the list follows creation time, then id.
            let late = try await ledger.createSession(Self.newSession(issue: 1), at: Acme.now + 10)
            let early = try await ledger.createSession(Self.newSession(issue: 2), at: Acme.now)
            let tie = try await ledger.createSession(Self.newSession(issue: 3), at: Acme.now + 10)
            try await ledger.transition(early.id, to: .running, reason: nil, worker: "w", at: Acme.now + 20)
            #expect(try await ledger.sessions(in: []).map(\.id) == [early.id, late.id, tie.id])
            #expect(try await ledger.sessions(in: [.queued]).map(\.id) == [late.id, tie.id])
            #expect(try await ledger.sessions(in: [.queued, .running]).map(\.id) == [early.id, late.id, tie.id])
        }
    }

    @Test(
        "events are kept in the order they happened, per session and for the whole ledger",
        arguments: LedgerEngine.available)
    func eventOrder(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let clock = ManualWallClock(Acme.now)
            try await ledger.registerWorker(
                WorkerLease(id: "w1", pid: 42, host: "build-1", expiresAt: Acme.now + 60), at: clock.now())
            let engine = BudgetEngine(ledger: ledger, catalog: Acme.catalog, clock: clock, worker: "w1")
            let policy = Acme.policy()
            clock.advance(by: 1)
            let session = try await ledger.createSession(Self.newSession(), at: clock.now()).id
            clock.advance(by: 1)
            try await ledger.transition(session, to: .running, reason: nil, worker: "w1", at: clock.now())
            clock.advance(by: 1)
            try await ledger.record(
                .toolCall(turn: 1, id: "call-1", tool: "read", arguments: "{\"path\": \"a \\\"quoted\\\"\\nline\"}"),
                session: session, org: "acme", at: clock.now())
            clock.advance(by: 1)
            try await ledger.record(
                .budgetAlert(threshold: 75, used: PremiumRequests(75).amount, limit: PremiumRequests(100).amount),
                session: nil, org: nil, at: clock.now())
            clock.advance(by: 1)
            guard case .reserved(let reservation) = try await engine.reserve(Acme.spend(policy, session: session))
            else {
                Issue.record("refused")
                return
            }
            clock.advance(by: 1)
            try await engine.commit(reservation, policy: policy)
            clock.advance(by: 1)
            try await ledger.transition(session, to: .completed, reason: nil, worker: nil, at: clock.now())

            let all = try await ledger.events(session: nil, after: 0)
            #expect(
                all.map(\.kind) == [
                    .workerStarted, .sessionCreated, .sessionState, .toolCall, .budgetAlert, .budgetReserved,
                    .budgetCharged, .sessionState,
                ])
            #expect(all.map(\.id) == Array(1...8))
            #expect(all.map(\.at) == (0..<8).map { Acme.now + TimeInterval($0) })
            #expect(all[0].data == ["worker": "w1", "pid": "42", "host": "build-1"])
            #expect(
                all[3].payload
                    == .toolCall(
                        turn: 1, id: "call-1", tool: "read", arguments: "{\"path\": \"a \\\"quoted\\\"\\nline\"}"))
            #expect(all[4].session == nil)
            #expect(all[4].data == ["threshold": "75", "used": "75", "limit": "100"])
            #expect(
                all[5].data == [
                    "reservation": "\(reservation.id)", "amount": "1", "kind": "request", "model": "claude-sonnet-4.5",
                ])
            #expect(all[7].data == ["from": "running", "to": "completed"])

            let mine = try await ledger.events(session: session, after: 0)
            #expect(mine.map(\.id) == [2, 3, 4, 6, 7, 8])
            #expect(try await ledger.events(session: session, after: 4).map(\.id) == [6, 7, 8])
            #expect(try await ledger.events(session: nil, after: 6).map(\.id) == [7, 8])
            #expect(try await ledger.events(session: nil, after: 8) == [])
            #expect(try await ledger.events(session: 99, after: 0) == [])
        }
    }

    @Test(
        "usage rows group charges by each dimension; days are UTC dates across month and year ends",
        arguments: LedgerEngine.available)
    func usageRows(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger, at: utc("2026-11-30T23:30:00Z"))
            let acme = Acme.policy(budget: amount("1000"))
            let globex = Acme.policy(org: "globex", budget: amount("1000"))
            let charges: [(String, Spend)] = [
                ("2026-11-30T23:30:00Z", Acme.spend(acme, units: 2, session: 1)),
                (
                    "2026-12-01T00:10:00Z",
                    Acme.spend(acme, user: "bob", agent: "coder", repository: "acme/web", model: "haiku", session: 2)
                ),
                ("2026-12-01T12:00:00Z", Acme.spend(globex, user: "carol", repository: "globex/app", session: 3)),
                (
                    "2026-12-31T23:59:59.999Z",
                    Acme.spend(acme, agent: "coder", repository: "acme/web", model: "gpt-5.5", session: 2)
                ),
                ("2027-01-01T00:00:00Z", Acme.spend(acme, user: "bob", model: "gpt-5-mini", units: 3)),
            ]
            for (instant, spend) in charges {
                fixture.clock.set(utc(instant))
                try await fixture.spend(spend)
            }
            func rows(
                _ dimensions: [UsageDimension], org: String? = nil, from: String = "2026-11-01T00:00:00Z",
                until: String = "2027-02-01T00:00:00Z"
            ) async throws -> [UsageRow] {
                try await ledger.usageRows(
                    UsageQuery(from: utc(from), until: utc(until), org: org, dimensions: dimensions))
            }
            func row(
                _ values: [String], _ sessions: Int, _ requests: Int, _ total: String, actual: String? = nil
            ) -> UsageRow {
                UsageRow(
                    values: values, actualModel: actual, sessions: sessions, modelRequests: requests,
                    premiumRequests: premium(total))
            }

            #expect(try await rows([]) == [row([], 3, 5, "11.58")])
            #expect(try await rows([.org]) == [row(["acme"], 2, 4, "10.58"), row(["globex"], 1, 1, "1")])
            #expect(
                try await rows([.user]) == [
                    row(["alice"], 2, 2, "9.5"), row(["bob"], 1, 2, "1.08"), row(["carol"], 1, 1, "1"),
                ])
            #expect(try await rows([.agent]) == [row(["coder"], 1, 2, "7.83"), row(["reviewer"], 2, 3, "3.75")])
            #expect(
                try await rows([.model]) == [
                    row(["claude-haiku-4.5"], 1, 1, "0.33", actual: "claude-haiku-4.5"),
                    row(["claude-sonnet-4.5"], 2, 2, "3", actual: "claude-sonnet-4.5"),
                    row(["gpt-5-mini"], 0, 1, "0.75", actual: "gpt-5-mini"),
                    row(["gpt-5.5"], 1, 1, "7.5", actual: "gpt-5.5"),
                ])
            #expect(
                try await rows([.repo]) == [
                    row(["acme/api"], 1, 2, "2.75"), row(["acme/web"], 1, 2, "7.83"), row(["globex/app"], 1, 1, "1"),
                ])
            #expect(
                try await rows([.day]) == [
                    row(["2026-11-30"], 1, 1, "2"), row(["2026-12-01"], 2, 2, "1.33"), row(["2026-12-31"], 1, 1, "7.5"),
                    row(["2027-01-01"], 0, 1, "0.75"),
                ])
            let bySession = try await rows([.session])
            #expect(
                bySession == [
                    row([""], 0, 1, "0.75"), row(["1"], 1, 1, "2"), row(["2"], 1, 2, "7.83"), row(["3"], 1, 1, "1"),
                ])
            #expect(
                try await rows([.user, .day]) == [
                    row(["alice", "2026-11-30"], 1, 1, "2"), row(["alice", "2026-12-31"], 1, 1, "7.5"),
                    row(["bob", "2026-12-01"], 1, 1, "0.33"), row(["bob", "2027-01-01"], 0, 1, "0.75"),
                    row(["carol", "2026-12-01"], 1, 1, "1"),
                ])
            #expect(
                try await rows([.day, .model]) == [
                    row(["2026-11-30", "claude-sonnet-4.5"], 1, 1, "2", actual: "claude-sonnet-4.5"),
                    row(["2026-12-01", "claude-haiku-4.5"], 1, 1, "0.33", actual: "claude-haiku-4.5"),
                    row(["2026-12-01", "claude-sonnet-4.5"], 1, 1, "1", actual: "claude-sonnet-4.5"),
                    row(["2026-12-31", "gpt-5.5"], 1, 1, "7.5", actual: "gpt-5.5"),
                    row(["2027-01-01", "gpt-5-mini"], 0, 1, "0.75", actual: "gpt-5-mini"),
                ])
            #expect(try await rows([.day], org: "globex") == [row(["2026-12-01"], 1, 1, "1")])
            // December only: the charge in its last millisecond is in, the one at midnight after is out.
            #expect(
                try await rows([], from: "2026-12-01T00:00:00Z", until: "2027-01-01T00:00:00Z") == [
                    row([], 2, 3, "8.83")
                ])
            #expect(try await rows([], from: "2027-02-01T00:00:00Z", until: "2027-03-01T00:00:00Z") == [])
            #expect(try await rows([.user], from: "2027-02-01T00:00:00Z", until: "2027-03-01T00:00:00Z") == [])

            // Reports reconcile with the charges they group.
            let all = try await ledger.charges(
                from: utc("2026-11-01T00:00:00Z"), until: utc("2027-02-01T00:00:00Z"), org: nil)
            #expect(all.map(\.amount) == ["2", "0.33", "1", "7.5", "0.75"].map(amount))
            #expect(all.map(\.at) == charges.map { utc($0.0) })
            let december = try await ledger.charges(
                from: utc("2026-12-01T00:00:00Z"), until: utc("2027-01-01T00:00:00Z"), org: "acme")
            #expect(december.map(\.amount) == ["0.33", "7.5"].map(amount))
        }
    }

    @Test("reopening a ledger file keeps everything, and its schema is created only once")
    func reopen() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/state/nested/ledger.sqlite"
            let policy = Acme.policy(budget: amount("10"), alerts: [50])
            let spend = Acme.spend(policy, session: 1)
            let scopes = BudgetEngine.scopes(for: spend, at: Acme.now)
            let snapshot: ([SessionRecord], [LedgerEvent], [Charge], [Reservation], [ScopeUsage])
            do {
                let ledger = try SQLiteLedger(path: path)
                let fixture = try await EngineFixture(ledger)
                try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
                try await fixture.spend(Acme.spend(policy, model: "gpt-5.5", session: 1))
                _ = try await fixture.reserve(spend)
                snapshot = (
                    try await ledger.sessions(in: []), try await ledger.events(session: nil, after: 0),
                    try await ledger.charges(from: .distantPast, until: .distantFuture, org: nil),
                    try await ledger.openReservations(), try await ledger.usage(of: scopes)
                )
                #expect(snapshot.2.count == 1)
                #expect(snapshot.3.count == 1)
                #expect(snapshot.4.first == ScopeUsage(used: amount("7.5"), reserved: amount("1")))
            }
            for _ in 1...2 {
                let ledger = try SQLiteLedger(path: path)
                #expect(try await ledger.sessions(in: []) == snapshot.0)
                #expect(try await ledger.events(session: nil, after: 0) == snapshot.1)
                #expect(try await ledger.charges(from: .distantPast, until: .distantFuture, org: nil) == snapshot.2)
                #expect(try await ledger.openReservations() == snapshot.3)
                #expect(try await ledger.usage(of: scopes) == snapshot.4)
            }
            // The reopened ledger goes on where it stopped: the same budget, the next ids, alerts once.
            let ledger = try SQLiteLedger(path: path)
            let engine = BudgetEngine(
                ledger: ledger, catalog: Acme.catalog, clock: ManualWallClock(Acme.now), worker: "w1")
            let open = try #require(snapshot.3.first)
            let charge = try await engine.commit(open, policy: policy)
            #expect(charge.id == 2)
            let session = try await ledger.createSession(Self.newSession(issue: 99), at: Acme.now)
            #expect(session.id == 46)
            guard case .blocked(let denial) = try await engine.reserve(Acme.spend(policy, units: 2)) else {
                Issue.record("the reopened ledger forgot what was spent")
                return
            }
            #expect(denial.exhaustion.usage == ScopeUsage(used: amount("8.5"), reserved: .zero(.premiumRequests)))
            #expect(try await ledger.events(session: nil, after: 0).filter { $0.kind == .budgetAlert }.count == 1)
        }
    }

    @Test("a file that is not a ledger, or a path that cannot hold one, fails closed")
    func unreadable() async throws {
        try await withTemporaryFolder { folder in
            let garbage = folder + "/garbage.sqlite"
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
            let blocker = folder + "/file"
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
            for path in [garbage, blocker + "/ledger.sqlite"] {
                do {
                    _ = try SQLiteLedger(path: path)
                    Issue.record("opened \(path)")
                } catch LedgerError.unavailable(let reported, let reason) {
                    #expect(reported == path)
                    #expect(!reason.isEmpty)
                }
            }
        }
    }

    @Test("ledger errors explain themselves")
    func errorText() {
        let cases: [(LedgerError, String)] = [
            (
                .unavailable(path: "/x/ledger.sqlite", reason: "disk I/O error"),
                "the ledger at /x/ledger.sqlite cannot be used: disk I/O error"
            ),
            (.noSuchSession(4), "no session 4"),
            (.noSuchReservation(5), "no reservation 5"),
            (.reservationResolved(id: 6, state: "committed"), "reservation 6 is already committed"),
            (
                .chargeExceedsReservation(id: 7, reserved: "7.5", charged: "8"),
                "reservation 7 holds 7.5; a charge of 8 is more"
            ),
            (
                .invalidTransition(session: 8, from: .completed, to: .timedOut),
                "session 8 cannot go from completed to timed-out"
            ),
            (.leaseLost(worker: "w1"), "worker w1 lost its lease; its sessions were reclaimed by another process"),
        ]
        for (error, text) in cases {
            #expect(error.description == text)
        }
    }
}
