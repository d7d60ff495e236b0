import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

/// One scope used up while the others still have room.
struct ExhaustionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: OrganizationPolicy
    /// Committed first, using the scope up (or nearly).
    var fill: [Spend]
    /// Held open when the refused spend comes.
    var open: Spend?
    var refused: Spend
    /// A spend outside the exhausted scope that still fits.
    var allowed: Spend
    var kind: BudgetScope.Kind
    var text: String

    var testDescription: String { name }

    static let all: [ExhaustionCase] = {
        let org = Acme.policy(budget: amount("10"))
        let weekly = Acme.policy(budget: amount("3"), period: .weekly)
        let daily = Acme.policy(budget: amount("3"), period: .daily)
        let forever = Acme.policy(budget: amount("3"), period: .none)
        let named = Acme.policy(users: ["alice": amount("4"), "bob": nil], defaultAllowance: amount("1"))
        let defaulted = Acme.policy(users: ["alice": amount("4")], defaultAllowance: amount("3"))
        let agent = Acme.policy(agents: ["coder": amount("2.5"), "reviewer": nil])
        let session = Acme.policy()
        func capped(_ id: SessionID) -> Spend {
            Acme.spend(session, session: id, sessionLimit: amount("2"))
        }
        return [
            ExhaustionCase(
                name: "organisation, monthly", policy: org, fill: [Acme.spend(org, units: 9)],
                open: Acme.spend(org, model: "gpt-5-mini", units: 2), refused: Acme.spend(org, user: "bob"),
                allowed: Acme.spend(org, model: "gpt-4.1"), kind: .org,
                text: "the budget of organisation acme is used up: 9 used and 0.5 reserved of 10, 1 more needed; "
                    + "it resets at 2026-04-01T00:00:00Z"),
            ExhaustionCase(
                name: "organisation, weekly", policy: weekly,
                fill: [Acme.spend(weekly, model: "claude-haiku-4.5", units: 9)],
                open: nil, refused: Acme.spend(weekly), allowed: Acme.spend(weekly, model: "gpt-4.1"), kind: .org,
                text: "the budget of organisation acme is used up: 2.97 used and 0 reserved of 3, 1 more needed; "
                    + "it resets at 2026-03-16T00:00:00Z"),
            ExhaustionCase(
                name: "organisation, daily", policy: daily, fill: [Acme.spend(daily, units: 3)], open: nil,
                refused: Acme.spend(daily, model: "gpt-5.5"), allowed: Acme.spend(daily, model: "gpt-4.1"), kind: .org,
                text: "the budget of organisation acme is used up: 3 used and 0 reserved of 3, 7.5 more needed; "
                    + "it resets at 2026-03-13T00:00:00Z"),
            ExhaustionCase(
                name: "organisation, no period", policy: forever, fill: [Acme.spend(forever, units: 2)], open: nil,
                refused: Acme.spend(forever, units: 2), allowed: Acme.spend(forever), kind: .org,
                text: "the budget of organisation acme is used up: 2 used and 0 reserved of 3, 2 more needed"),
            ExhaustionCase(
                name: "named user's allowance", policy: named, fill: [Acme.spend(named, units: 4)], open: nil,
                refused: Acme.spend(named, model: "gpt-5-mini"), allowed: Acme.spend(named, user: "bob", units: 50),
                kind: .user,
                text: "the budget of user alice in acme is used up: 4 used and 0 reserved of 4, 0.25 more needed; "
                    + "it resets at 2026-04-01T00:00:00Z"),
            ExhaustionCase(
                name: "default allowance", policy: defaulted, fill: [Acme.spend(defaulted, user: "carol", units: 2)],
                open: Acme.spend(defaulted, user: "carol", model: "gpt-5-mini", units: 3),
                refused: Acme.spend(defaulted, user: "carol", agent: "coder", units: 1),
                allowed: Acme.spend(defaulted, user: "dave", units: 3), kind: .user,
                text: "the budget of user carol in acme is used up: 2 used and 0.75 reserved of 3, 1 more needed; "
                    + "it resets at 2026-04-01T00:00:00Z"),
            ExhaustionCase(
                name: "agent's cap", policy: agent,
                fill: [Acme.spend(agent, agent: "coder", model: "gpt-5-mini", units: 10)],
                open: nil, refused: Acme.spend(agent, user: "bob", agent: "coder", model: "claude-haiku-4.5"),
                allowed: Acme.spend(agent, user: "bob", agent: "reviewer", units: 20), kind: .agent,
                text: "the budget of agent coder in acme is used up: 2.5 used and 0 reserved of 2.5, 0.33 more needed; "
                    + "it resets at 2026-04-01T00:00:00Z"),
            ExhaustionCase(
                name: "session's cap", policy: session, fill: [capped(42)], open: capped(42),
                refused: capped(42), allowed: capped(43), kind: .session,
                text: "the premium-request cap of session 42 is used up: 1 used and 1 reserved of 2, 1 more needed"),
        ]
    }()
}

/// The budget engine of DESIGN §5: reserve before spending, fail closed, block or fall back.
@Suite("Budget engine")
struct BudgetEngineTests {
    @Test(
        "each scope blocks on its own, with the scope, the figures and the reset time",
        arguments: LedgerEngine.available, ExhaustionCase.all)
    func exhaustion(engine: LedgerEngine, _ example: ExhaustionCase) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            for spend in example.fill { try await fixture.spend(spend) }
            if let open = example.open { _ = try await fixture.reserve(open) }
            let before = try await ledger.openReservations()
            let denial = try await fixture.denial(example.refused)
            #expect(denial.exhaustion.scope.kind == example.kind)
            #expect(denial.description == example.text)
            #expect("\(denial)" == example.text)
            #expect(try await ledger.openReservations() == before)
            _ = try await fixture.reserve(example.allowed)
        }
    }

    @Test("a denial names the scope's reset time as the end of its period", arguments: LedgerEngine.available)
    func denialFields(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(budget: amount("1"))
            try await fixture.spend(Acme.spend(policy))
            let denial = try await fixture.denial(Acme.spend(policy, model: "claude-haiku-4.5", units: 2))
            #expect(
                denial
                    == BudgetDenial(
                        exhaustion: ScopeExhaustion(
                            scope: Acme.orgScope(policy, at: Acme.now),
                            usage: ScopeUsage(used: amount("1"), reserved: .zero(.premiumRequests)),
                            requested: amount("0.66")),
                        resetsAt: utc("2026-04-01T00:00:00Z")))
        }
    }

    @Test(
        "on-exhausted: fallback reserves 0 on the fallback model and records both models",
        arguments: LedgerEngine.available)
    func fallback(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(budget: amount("2"), onExhausted: .fallback, fallback: "GPT-4.1")
            try await fixture.spend(Acme.spend(policy, units: 2))
            let reservation = try await fixture.reserve(Acme.spend(policy, model: "sonnet", session: 5))
            #expect(reservation.amount == .zero(.premiumRequests))
            #expect(reservation.context.requestedModel == "claude-sonnet-4.5")
            #expect(reservation.context.actualModel == "gpt-4.1")
            let charge = try await fixture.engine.commit(reservation, policy: policy)
            #expect(charge.amount == .zero(.premiumRequests))
            #expect(charge.context == reservation.context)

            let reserved = try await fixture.events(.budgetReserved)
            #expect(reserved.map { $0.data["fallback"] } == [nil, "gpt-4.1"])
            let charges = try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: "acme")
            #expect(charges.map(\.context.actualModel) == ["claude-sonnet-4.5", "gpt-4.1"])
            #expect(charges.map(\.context.requestedModel) == ["claude-sonnet-4.5", "claude-sonnet-4.5"])
            let rows = try await ledger.usageRows(UsageQuery(from: Acme.now, until: Acme.now + 1, dimensions: [.model]))
            #expect(
                rows == [
                    UsageRow(
                        values: ["claude-sonnet-4.5"], actualModel: "claude-sonnet-4.5", sessions: 0, modelRequests: 1,
                        premiumRequests: premium("2")),
                    UsageRow(
                        values: ["claude-sonnet-4.5"], actualModel: "gpt-4.1", sessions: 1, modelRequests: 1,
                        premiumRequests: .zero),
                ])
            #expect(
                try await ledger.usage(of: [Acme.orgScope(policy, at: Acme.now)]) == [
                    ScopeUsage(used: amount("2"), reserved: .zero(.premiumRequests))
                ])
        }
    }

    @Test(
        "fallback does not apply when the fallback model costs something, is unknown, or the session cap is used up",
        arguments: LedgerEngine.available,
        [
            ("a fallback model that is not 0×", "claude-haiku-4.5", nil),
            ("an unknown fallback model", "gpt-0", nil),
            ("a session's cap", "gpt-4.1", amount("2")),
        ] as [(String, String, Amount?)])
    func noFallback(engine: LedgerEngine, _ row: (String, String, Amount?)) async throws {
        let (name, fallbackModel, sessionLimit) = row
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            // With a session cap the organisation has room; without one the organisation is used up.
            let policy = Acme.policy(
                budget: sessionLimit == nil ? amount("2") : amount("100"), onExhausted: .fallback,
                fallback: fallbackModel)
            try await fixture.spend(Acme.spend(policy, units: 2, session: 9, sessionLimit: sessionLimit))
            let denial = try await fixture.denial(Acme.spend(policy, session: 9, sessionLimit: sessionLimit))
            #expect(denial.exhaustion.scope.kind == (sessionLimit == nil ? .org : .session))
            #expect(try await ledger.openReservations() == [])
            #expect(try await fixture.events(.budgetReserved).count == 1)
        }
    }

    @Test(
        "a model outside the catalog or the organisation's allow list throws and reserves nothing",
        arguments: LedgerEngine.available,
        [
            (["*"], "gpt-99", BudgetError.unknownModel("gpt-99")),
            (["*"], "inheritance", BudgetError.unknownModel("inheritance")),
            (["gpt-*"], "sonnet", BudgetError.modelNotAllowed(model: "claude-sonnet-4.5", org: "acme")),
            (
                ["claude-haiku-4.5"], "claude-sonnet-4.5",
                BudgetError.modelNotAllowed(model: "claude-sonnet-4.5", org: "acme")
            ),
            ([], "gpt-4.1", BudgetError.modelNotAllowed(model: "gpt-4.1", org: "acme")),
        ] as [([String], String, BudgetError)])
    func failsClosed(engine: LedgerEngine, _ row: ([String], String, BudgetError)) async throws {
        let (allow, model, error) = row
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(allow: allow)
            await #expect(throws: error) {
                try await fixture.engine.reserve(Acme.spend(policy, model: model))
            }
            #expect(try await ledger.openReservations() == [])
            #expect(try await fixture.events(.budgetReserved) == [])
            #expect(
                try await ledger.usage(of: [Acme.orgScope(policy, at: Acme.now)]) == [ScopeUsage.zero(.premiumRequests)]
            )
        }
    }

    @Test("budget errors explain themselves")
    func errorText() {
        #expect(
            BudgetError.unknownModel("gpt-99").description
                == "model 'gpt-99' is not in the model catalog; nothing can be charged for it")
        #expect(
            BudgetError.modelNotAllowed(model: "gpt-5.5", org: "acme").description
                == "organisation acme does not allow model 'gpt-5.5'")
    }

    @Test(
        "models are found by name, alias or inherit, and allowed by name or alias",
        arguments: LedgerEngine.available,
        [
            (["*"], "inherit", "gpt-4.1", "0"),
            (["*"], "HAIKU", "claude-haiku-4.5", "0.99"),
            (["sonnet"], "claude-sonnet-4.5", "claude-sonnet-4.5", "3"),
            (["claude-*"], "opus", "claude-opus-4.7", "45"),
            (["GPT-5.5"], "gpt-5.5", "gpt-5.5", "22.5"),
        ] as [([String], String, String, String)])
    func modelLookup(engine: LedgerEngine, _ row: ([String], String, String, String)) async throws {
        let (allow, model, name, cost) = row
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let reservation = try await fixture.reserve(Acme.spend(Acme.policy(allow: allow), model: model, units: 3))
            #expect(reservation.context.requestedModel == name)
            #expect(reservation.context.actualModel == name)
            #expect(reservation.amount == amount(cost))
        }
    }

    @Test("an organisation's own multiplier overrides the catalog's", arguments: LedgerEngine.available)
    func negotiatedMultiplier(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            var policy = Acme.policy()
            policy.models.multipliers = ["gpt-5.5": premium("0.5")]
            let reservation = try await fixture.reserve(Acme.spend(policy, model: "gpt-5.5", units: 3))
            #expect(reservation.amount == amount("1.5"))
        }
    }

    @Test("a 0× model is recorded as a charge of 0, even when the budget is used up", arguments: LedgerEngine.available)
    func freeModel(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let zero = Amount.zero(.premiumRequests)
            let policy = Acme.policy(budget: zero, users: ["alice": zero], agents: ["reviewer": zero])
            let reservation = try await fixture.reserve(
                Acme.spend(
                    policy, model: "gpt-4.1", units: 4, session: 1, sessionLimit: .zero(.premiumRequests),
                    kind: .session))
            #expect(reservation.amount == .zero(.premiumRequests))
            let charge = try await fixture.engine.commit(reservation, policy: policy, requests: 4)
            #expect(charge.amount == .zero(.premiumRequests))
            #expect(charge.requests == 4)
            #expect(charge.context.kind == .session)
            #expect(try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: nil) == [charge])
            #expect(
                try await fixture.events(.budgetCharged).map(\.data) == [
                    ["reservation": "\(reservation.id)", "amount": "0", "requests": "4"]
                ])
            let rows = try await ledger.usageRows(UsageQuery(from: Acme.now, until: Acme.now + 1, dimensions: []))
            #expect(rows == [UsageRow(values: [], sessions: 1, modelRequests: 4, premiumRequests: .zero)])
            #expect(try await fixture.denial(Acme.spend(policy, model: "gpt-5-mini")).exhaustion.scope.kind == .org)
        }
    }

    @Test(
        "alerts at 75, 90 and 100% are recorded once each per period, and again in the next period",
        arguments: LedgerEngine.available)
    func alerts(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(budget: amount("100"), alerts: [75, 90, 100])
            func alerts(after units: Int) async throws -> [String] {
                try await fixture.spend(Acme.spend(policy, units: units))
                let seen = try await fixture.events(.budgetAlert)
                return seen.compactMap { $0.data["threshold"] }
            }
            #expect(try await alerts(after: 74) == [])
            #expect(try await alerts(after: 1) == ["75"])
            #expect(try await alerts(after: 5) == ["75"])
            #expect(try await alerts(after: 10) == ["75", "90"])
            #expect(try await alerts(after: 9) == ["75", "90"])
            #expect(try await alerts(after: 1) == ["75", "90", "100"])
            try await fixture.spend(Acme.spend(policy, model: "gpt-4.1"))
            let march = try await fixture.events(.budgetAlert)
            #expect(march.count == 3)
            #expect(
                march.map(\.data) == [
                    ["threshold": "75", "used": "75", "limit": "100"],
                    ["threshold": "90", "used": "90", "limit": "100"],
                    ["threshold": "100", "used": "100", "limit": "100"],
                ])
            #expect(march.allSatisfy { $0.org == "acme" && $0.session == nil })

            fixture.clock.set(utc("2026-04-01T00:00:00Z"))
            #expect(try await alerts(after: 95) == ["75", "90", "100", "75", "90"])
            let april = try await fixture.events(.budgetAlert).suffix(2)
            #expect(
                april.map(\.data) == [
                    ["threshold": "75", "used": "95", "limit": "100"],
                    ["threshold": "90", "used": "95", "limit": "100"],
                ])
            #expect(april.allSatisfy { $0.at == utc("2026-04-01T00:00:00Z") })
        }
    }

    @Test(
        "a commit for less than reserved charges that much and returns the rest to every scope",
        arguments: LedgerEngine.available)
    func partialCommit(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(
                budget: amount("10"), users: ["alice": amount("10")], agents: ["reviewer": amount("10")])
            let spend = Acme.spend(policy, model: "gpt-5.5", session: 3, sessionLimit: amount("10"))
            let scopes = BudgetEngine.scopes(for: spend, at: Acme.now)
            let reservation = try await fixture.reserve(spend)
            #expect(reservation.amount == amount("7.5"))
            #expect(
                try await ledger.usage(of: scopes)
                    == Array(repeating: ScopeUsage(used: .zero(.premiumRequests), reserved: amount("7.5")), count: 4))

            let charge = try await fixture.engine.commit(reservation, policy: policy, amount: amount("2.25"))
            #expect(charge.amount == amount("2.25"))
            #expect(
                try await ledger.usage(of: scopes)
                    == Array(repeating: ScopeUsage(used: amount("2.25"), reserved: .zero(.premiumRequests)), count: 4))
            let charged = try #require(try await fixture.events(.budgetCharged).first)
            #expect(
                charged.data == [
                    "reservation": "\(reservation.id)", "amount": "2.25", "requests": "1", "refunded": "5.25",
                ])

            // Exactly the rest fits, and not a thousandth more.
            let rest = try await fixture.reserve(
                Acme.spend(policy, model: "gpt-5-mini", units: 31, session: 3, sessionLimit: amount("10")))
            #expect(rest.amount == amount("7.75"))
            try await fixture.engine.commit(rest, policy: policy)
            #expect(
                try await ledger.usage(of: scopes)
                    == Array(repeating: ScopeUsage(used: amount("10"), reserved: .zero(.premiumRequests)), count: 4))
            _ = try await fixture.denial(
                Acme.spend(policy, model: "gpt-5-mini", session: 3, sessionLimit: amount("10")))
        }
    }

    @Test(
        "a commit for more than reserved, or for a negative amount, throws and changes nothing",
        arguments: LedgerEngine.available, ["7.501", "8", "-0.001"])
    func overCommit(engine: LedgerEngine, _ text: String) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy()
            let reservation = try await fixture.reserve(Acme.spend(policy, model: "gpt-5.5"))
            let events = try await ledger.events(session: nil, after: 0)
            await #expect(
                throws: LedgerError.chargeExceedsReservation(id: reservation.id, reserved: "7.5", charged: text)
            ) {
                try await fixture.engine.commit(reservation, policy: policy, amount: amount(text))
            }
            #expect(try await ledger.openReservations() == [reservation])
            #expect(try await ledger.events(session: nil, after: 0) == events)
            #expect(try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: nil) == [])
            #expect(
                try await ledger.usage(of: [Acme.orgScope(policy, at: Acme.now)]) == [
                    ScopeUsage(used: .zero(.premiumRequests), reserved: amount("7.5"))
                ])
            let charge = try await fixture.engine.commit(reservation, policy: policy)
            #expect(charge.amount == amount("7.5"))
        }
    }

    enum Resolution: String, Sendable, CaseIterable {
        case commit, release

        /// Every first resolution with every second one.
        static let pairs = allCases.flatMap { first in allCases.map { (first, $0) } }
    }

    @Test(
        "a reservation is resolved once: committing or releasing it again throws and changes nothing",
        arguments: LedgerEngine.available, Resolution.pairs)
    func resolvedOnce(engine: LedgerEngine, resolutions: (Resolution, Resolution)) async throws {
        let (first, second) = resolutions
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy()
            let spend = Acme.spend(policy, model: "claude-haiku-4.5", session: 1)
            let reservation = try await fixture.reserve(spend)
            func resolve(_ resolution: Resolution) async throws {
                switch resolution {
                case .commit: try await fixture.engine.commit(reservation, policy: policy)
                case .release: try await fixture.engine.release(reservation, reason: "request failed")
                }
            }
            try await resolve(first)
            let scopes = BudgetEngine.scopes(for: spend, at: Acme.now)
            let usage = try await ledger.usage(of: scopes)
            #expect(
                usage
                    == Array(
                        repeating: ScopeUsage(
                            used: first == .commit ? amount("0.33") : .zero(.premiumRequests),
                            reserved: .zero(.premiumRequests)), count: 4))
            let events = try await ledger.events(session: nil, after: 0)
            let charges = try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: nil)
            let state = first == .commit ? "committed" : "released"
            await #expect(throws: LedgerError.reservationResolved(id: reservation.id, state: state)) {
                try await resolve(second)
            }
            #expect(try await ledger.usage(of: scopes) == usage)
            #expect(try await ledger.events(session: nil, after: 0) == events)
            #expect(try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: nil) == charges)
            #expect(try await ledger.openReservations() == [])
        }
    }

    @Test(
        "a release returns the whole reservation and records why, without a charge", arguments: LedgerEngine.available)
    func release(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = Acme.policy(budget: amount("1"))
            let reservation = try await fixture.reserve(Acme.spend(policy, session: 2))
            _ = try await fixture.denial(Acme.spend(policy))
            try await fixture.engine.release(reservation, reason: "provider returned 503")
            #expect(
                try await ledger.usage(of: [Acme.orgScope(policy, at: Acme.now)]) == [ScopeUsage.zero(.premiumRequests)]
            )
            let released = try #require(try await fixture.events(.budgetReleased).first)
            #expect(released.session == 2)
            #expect(
                released.data == ["reservation": "\(reservation.id)", "amount": "1", "reason": "provider returned 503"])
            #expect(try await ledger.charges(from: Acme.now, until: Acme.now + 1, org: nil) == [])
            _ = try await fixture.reserve(Acme.spend(policy))
        }
    }

    @Test("committing or releasing a reservation that does not exist throws", arguments: LedgerEngine.available)
    func noSuchReservation(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            await #expect(throws: LedgerError.noSuchReservation(99)) {
                try await ledger.release(99, reason: "none", at: Acme.now)
            }
            await #expect(throws: LedgerError.noSuchReservation(99)) {
                try await ledger.commit(
                    99, amount: .zero(.premiumRequests), requests: 1, tokens: .zero, at: Acme.now, orgLimit: nil,
                    alerts: [])
            }
        }
    }

    @Test("the engine's scopes: organisation, user and agent for the period, and the session's cap for its life")
    func scopes() {
        let policy = Acme.policy(
            budget: amount("300"), period: .weekly, users: ["alice": amount("50")], defaultAllowance: amount("20"),
            agents: ["reviewer": amount("30")])
        let week = (utc("2026-03-09T00:00:00Z"), utc("2026-03-16T00:00:00Z"))
        #expect(
            BudgetEngine.scopes(for: Acme.spend(policy, session: 8, sessionLimit: amount("4")), at: Acme.now) == [
                BudgetScope(kind: .org, name: "acme", limit: amount("300"), periodStart: week.0, periodEnd: week.1),
                BudgetScope(
                    kind: .user, name: "acme/alice", limit: amount("50"), periodStart: week.0, periodEnd: week.1),
                BudgetScope(
                    kind: .agent, name: "acme/reviewer", limit: amount("30"), periodStart: week.0, periodEnd: week.1),
                BudgetScope(
                    kind: .session, name: "8", limit: amount("4"), periodStart: Date(timeIntervalSince1970: 0),
                    periodEnd: nil),
            ])
        let other = BudgetEngine.scopes(for: Acme.spend(policy, user: "zoe", agent: "coder"), at: Acme.now)
        #expect(other.map(\.key.description) == ["org:acme", "user:acme/zoe", "agent:acme/coder"])
        #expect(other.map(\.limit) == [amount("300"), amount("20"), nil])
        #expect(other.map(\.label) == ["organisation acme", "user zoe in acme", "agent coder in acme"])
    }
}
