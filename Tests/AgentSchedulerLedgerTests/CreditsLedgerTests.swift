import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

/// The catalog, policies and helpers the AI-credit ledger and engine tests spend against.
enum CreditsAcme {
    /// `text` AI credits, as the ledger holds them: `credits("0.000002")`.
    static func credits(_ text: String) -> Amount {
        Amount(.aiCredits, minorUnits: try! FixedPoint.parse(text, decimals: AICredits.decimals).get())
    }

    static func price(_ nanocredits: Int64) -> TokenPrice { TokenPrice(nanocreditsPerToken: nanocredits) }

    /// GPT-5.4's prices: $2.50 / $0.25 cached / $15 output per million tokens; above 272K prompt
    /// tokens, $5 / $0.50 / $22.50.
    static let gpt54 = TokenPricing(
        standard: .init(input: price(250_000), cachedInput: price(25_000), output: price(1_500_000)),
        longContext: .init(
            above: 272_000, rates: .init(input: price(500_000), cachedInput: price(50_000), output: price(2_250_000))))

    /// Claude Sonnet 4.5's prices: $3 / $0.30 cached / $15 output / $3.75 cache write: a prompt's
    /// worst case is at the cache-write price.
    static let sonnet = TokenPricing(
        standard: .init(
            input: price(300_000), cachedInput: price(30_000), output: price(1_500_000), cacheWrite: price(375_000)))

    /// A local server: every price 0.
    static let free = TokenPricing(standard: .init(input: price(0), cachedInput: price(0), output: price(0)))

    /// Priced models, a free local one, and `gpt-4.1` with a multiplier and no token prices.
    static let catalog = ModelCatalog(
        defaultModel: "gpt-5.4",
        models: [
            ModelDefinition(name: "gpt-5.4", provider: .openai, multiplier: PremiumRequests(1), pricing: gpt54),
            ModelDefinition(
                name: "claude-sonnet-4.5", provider: .anthropic, multiplier: PremiumRequests(1), aliases: ["sonnet"],
                pricing: sonnet),
            ModelDefinition(name: "local", provider: .openai, multiplier: nil, pricing: free),
            ModelDefinition(name: "gpt-4.1", provider: .openai, multiplier: .zero),
        ])

    static func policy(
        budget: Amount? = credits("100"), period: BudgetPolicy.Period = .monthly,
        onExhausted: BudgetPolicy.Exhaustion = .block, fallback: String? = nil, alerts: [Int] = [],
        users: [String: Amount?] = [:], defaultAllowance: Amount? = nil, agents: [String: Amount?] = [:],
        pricing: [String: TokenPricing] = [:]
    ) -> OrganizationPolicy {
        OrganizationPolicy(
            org: "acme", billing: .aiCredits, charging: .perRequest,
            budget: BudgetPolicy(
                limit: budget, period: period, onExhausted: onExhausted, fallbackModel: fallback, alerts: alerts),
            users: users, defaultUserAllowance: defaultAllowance, agents: agents,
            models: ModelPolicy(pricing: pricing), source: "policies/acme.yaml")
    }

    /// A budget engine on the fixture's ledger and clock, with the priced catalog.
    static func engine(_ fixture: EngineFixture) -> BudgetEngine {
        BudgetEngine(ledger: fixture.ledger, catalog: catalog, clock: fixture.clock, worker: "w1")
    }

    /// Reserves exactly `amount` under `spend`'s scopes (no pricing involved).
    static func reserve(_ ledger: any Ledger, _ spend: Spend, _ amount: Amount) async throws -> ReservationOutcome {
        try await ledger.reserve(
            ReservationRequest(
                context: ChargeContext(
                    session: spend.session, org: spend.policy.org, user: spend.user, agent: spend.agent,
                    repository: spend.repository, requestedModel: spend.model, kind: spend.kind),
                amount: amount, scopes: BudgetEngine.scopes(for: spend, at: Acme.now), worker: "w1", at: Acme.now))
    }

    /// Reserves and commits `amount` with `tokens`, failing the test when it does not fit.
    @discardableResult
    static func charge(
        _ ledger: any Ledger, _ spend: Spend, _ amount: Amount, tokens: TokenCounts = .zero,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> Charge {
        guard case .reserved(let reservation) = try await reserve(ledger, spend, amount) else {
            Issue.record("\(amount) did not fit", sourceLocation: sourceLocation)
            throw FixtureFailure()
        }
        return try await ledger.commit(
            reservation.id, amount: amount, requests: 1, tokens: tokens, at: Acme.now, orgLimit: nil, alerts: [])
    }
}

/// The ledger under AI credits: unit-tagged scopes, tokens on charges, usage and history.
@Suite("Ledger in AI credits")
struct CreditsLedgerTests {
    typealias C = CreditsAcme

    @Test(
        "a credits reservation holds under every credits scope; its commit keeps the tokens and the unit",
        arguments: LedgerEngine.available)
    func reserveAndCommit(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = C.policy(budget: C.credits("190000"), users: ["alice": C.credits("50")])
            let spend = Acme.spend(policy, session: 3)
            let scopes = BudgetEngine.scopes(for: spend, at: Acme.now)
            #expect(
                scopes.map(\.key.description) == [
                    "org:acme@ai-credits", "user:acme/alice@ai-credits",
                    "agent:acme/reviewer@ai-credits", "session:3@ai-credits",
                ])
            #expect(scopes.allSatisfy { $0.unit == .aiCredits })
            guard case .reserved(let reservation) = try await C.reserve(ledger, spend, C.credits("1.75")) else {
                Issue.record("refused")
                return
            }
            #expect(reservation.amount == C.credits("1.75"))
            #expect(try await ledger.openReservations() == [reservation])
            let held = try await ledger.usage(of: scopes)
            #expect(
                held == Array(repeating: ScopeUsage(used: .zero(.aiCredits), reserved: C.credits("1.75")), count: 4))

            let tokens = TokenCounts(input: 1_000, cachedInput: 3_000, cacheWrite: 0, output: 500)
            let cost = C.gpt54.cost(of: tokens).credits.amount
            #expect(cost == C.credits("1.075"))
            let charge = try await fixture.engine.commit(reservation, policy: policy, amount: cost, tokens: tokens)
            #expect(charge.amount == C.credits("1.075"))
            #expect(charge.tokens == tokens)
            let charges = try await ledger.charges(session: 3)
            #expect(charges == [charge])
            #expect(charges.first?.amount.unit == .aiCredits)
            #expect(charges.first?.tokens == tokens)
            #expect(try await ledger.openReservations() == [])
            #expect(
                try await ledger.usage(of: scopes)
                    == Array(repeating: ScopeUsage(used: C.credits("1.075"), reserved: .zero(.aiCredits)), count: 4))
            let reserved = try await fixture.events(.budgetReserved)
            #expect(
                reserved.map(\.data) == [
                    [
                        "reservation": "\(reservation.id)", "amount": "1.75", "kind": "request",
                        "model": "claude-sonnet-4.5",
                        "unit": "ai-credits",
                    ]
                ])
            let charged = try await fixture.events(.budgetCharged)
            #expect(
                charged.map(\.data) == [
                    [
                        "reservation": "\(reservation.id)", "amount": "1.075", "requests": "1", "unit": "ai-credits",
                        "refunded": "0.675",
                    ]
                ])
        }
    }

    @Test(
        "a charge of more than the reservation, or in the other unit, is refused and the reservation stays open",
        arguments: LedgerEngine.available)
    func commitChecks(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            _ = try await EngineFixture(ledger)
            let spend = Acme.spend(C.policy(), session: 1)
            guard case .reserved(let reservation) = try await C.reserve(ledger, spend, C.credits("0.000002")) else {
                Issue.record("refused")
                return
            }
            for amount in [C.credits("0.000003"), Amount(.premiumRequests, minorUnits: 1)] {
                await #expect(
                    throws: LedgerError.chargeExceedsReservation(
                        id: reservation.id, reserved: "0.000002", charged: amount.description)
                ) {
                    _ = try await ledger.commit(
                        reservation.id, amount: amount, requests: 1, tokens: .zero, at: Acme.now, orgLimit: nil,
                        alerts: [])
                }
            }
            #expect(try await ledger.openReservations() == [reservation])
            #expect(try await ledger.charges(session: 1) == [])
        }
    }

    @Test(
        "premium requests against a credits scope, or credits against a premium scope, throw unitMismatch and change nothing",
        arguments: LedgerEngine.available)
    func unitMismatch(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let creditsSpend = Acme.spend(C.policy(), session: 1)
            let premiumSpend = Acme.spend(Acme.policy(), session: 1)
            let before = try await ledger.events(session: nil, after: 0)
            await #expect(throws: LedgerError.unitMismatch(scope: "org:acme@ai-credits", amount: "1 premium request")) {
                _ = try await C.reserve(ledger, creditsSpend, amount("1"))
            }
            await #expect(throws: LedgerError.unitMismatch(scope: "org:acme", amount: "0.50 AI credits")) {
                _ = try await C.reserve(ledger, premiumSpend, C.credits("0.5"))
            }
            #expect(try await ledger.openReservations() == [])
            #expect(try await ledger.events(session: nil, after: 0) == before)
            let creditScopes = BudgetEngine.scopes(for: creditsSpend, at: Acme.now)
            let premiumScopes = BudgetEngine.scopes(for: premiumSpend, at: Acme.now)
            #expect(try await ledger.usage(of: creditScopes).allSatisfy { $0 == .zero(.aiCredits) })
            #expect(try await ledger.usage(of: premiumScopes).allSatisfy { $0 == .zero(.premiumRequests) })
            // The engine refuses to reserve premium requests for a credits policy, and tokens for a premium one.
            await #expect(throws: BudgetError.unpriced(model: "claude-sonnet-4.5", unit: .premiumRequests)) {
                _ = try await C.engine(fixture).reserve(creditsSpend)
            }
            await #expect(throws: BudgetError.unpriced(model: "claude-sonnet-4.5", unit: .aiCredits)) {
                _ = try await C.engine(fixture).reserveRequest(premiumSpend, promptTokens: 10, maxOutputTokens: 10)
            }
            #expect(try await ledger.openReservations() == [])
        }
    }

    @Test(
        "one organisation's premium-request and credit totals never mix: separate keys, separate limits",
        arguments: LedgerEngine.available)
    func unitsNeverMix(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let premiumPolicy = Acme.policy(budget: amount("1"))
            let creditsPolicy = C.policy(budget: C.credits("1"))
            try await fixture.spend(Acme.spend(premiumPolicy))
            // The premium budget is used up; the same organisation's credits are not.
            _ = try await fixture.denial(Acme.spend(premiumPolicy))
            try await C.charge(ledger, Acme.spend(creditsPolicy), C.credits("0.999999999"))
            let premiumOrg = BudgetEngine.scopes(for: Acme.spend(premiumPolicy), at: Acme.now)[0]
            let creditsOrg = BudgetEngine.scopes(for: Acme.spend(creditsPolicy), at: Acme.now)[0]
            #expect(premiumOrg.key.description == "org:acme")
            #expect(creditsOrg.key.description == "org:acme@ai-credits")
            #expect(
                try await ledger.usage(of: [premiumOrg, creditsOrg]) == [
                    ScopeUsage(used: amount("1"), reserved: .zero(.premiumRequests)),
                    ScopeUsage(used: C.credits("0.999999999"), reserved: .zero(.aiCredits)),
                ])
            guard
                case .exhausted(let exhaustion) = try await C.reserve(
                    ledger, Acme.spend(creditsPolicy), C.credits("0.000000002"))
            else {
                Issue.record("a reservation past the credit budget was held")
                return
            }
            #expect(
                exhaustion
                    == ScopeExhaustion(
                        scope: creditsOrg,
                        usage: ScopeUsage(used: C.credits("0.999999999"), reserved: .zero(.aiCredits)),
                        requested: C.credits("0.000000002")))
            guard case .reserved = try await C.reserve(ledger, Acme.spend(creditsPolicy), C.credits("0.000000001"))
            else {
                Issue.record("the last billionth of the credit budget was refused")
                return
            }
        }
    }

    @Test(
        "usage sums credits and tokens per row and in total; premium requests stay in their own column",
        arguments: LedgerEngine.available)
    func usageSums(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = C.policy()
            let aliceTokens = TokenCounts(input: 100, cachedInput: 20, cacheWrite: 5, output: 50)
            try await C.charge(ledger, Acme.spend(policy, session: 1), C.credits("0.5"), tokens: aliceTokens)
            try await C.charge(
                ledger, Acme.spend(policy, session: 1), C.credits("0.000002"), tokens: TokenCounts(cachedInput: 1))
            try await C.charge(
                ledger, Acme.spend(policy, user: "bob", session: 2), C.credits("2.25"),
                tokens: TokenCounts(input: 7, output: 3))
            // A premium-request charge of the same organisation and user carries no tokens.
            try await fixture.spend(Acme.spend(Acme.policy(), session: 3))
            let table = try await ledger.usage(
                UsageQuery(from: Acme.now - 86_400, until: Acme.now + 86_400, org: "acme", dimensions: [.user]))
            #expect(
                table.rows == [
                    UsageRow(
                        values: ["alice"], sessions: 2, modelRequests: 3, premiumRequests: PremiumRequests(1),
                        aiCredits: AICredits(nanocredits: 500_002_000),
                        tokens: TokenCounts(input: 100, cachedInput: 21, cacheWrite: 5, output: 50)),
                    UsageRow(
                        values: ["bob"], sessions: 1, modelRequests: 1, premiumRequests: .zero,
                        aiCredits: AICredits(nanocredits: 2_250_000_000), tokens: TokenCounts(input: 7, output: 3)),
                ])
            #expect(table.sessions == 3)
            #expect(table.modelRequests == 4)
            #expect(table.premiumRequests == PremiumRequests(1))
            #expect(table.aiCredits == AICredits(nanocredits: 2_750_002_000))
            #expect(table.tokens == TokenCounts(input: 107, cachedInput: 21, cacheWrite: 5, output: 53))
            let none = try await ledger.usage(
                UsageQuery(from: Acme.now - 86_400, until: Acme.now + 86_400, org: "globex", dimensions: [.user]))
            #expect(none == .empty)
        }
    }

    @Test(
        "completedSessionCosts sums each completed session of that agent and model, in that unit, newest first",
        arguments: LedgerEngine.available)
    func completedSessionCosts(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let policy = C.policy()
            func finish(_ session: SessionID, _ state: SessionState) async throws {
                _ = try await ledger.transition(session, to: .running, reason: nil, worker: "w1", at: Acme.now)
                _ = try await ledger.transition(session, to: state, reason: nil, worker: "w1", at: Acme.now + 1)
            }
            // Sessions 1–45 are the reviewer's on claude-sonnet-4.5; 46 is the coder's, 47 is on gpt-5.4.
            let coder = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/api", issue: 46, agent: "coder", assigner: "alice",
                    model: "claude-sonnet-4.5"), at: Acme.now
            ).id
            let gpt = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/api", issue: 47, agent: "reviewer", assigner: "alice",
                    model: "gpt-5.4"), at: Acme.now
            ).id
            #expect([coder, gpt] == [46, 47])
            try await C.charge(ledger, Acme.spend(policy, session: 1), C.credits("1.5"))
            try await C.charge(ledger, Acme.spend(policy, session: 1), C.credits("0.25"))
            try await finish(1, .completed)
            try await C.charge(ledger, Acme.spend(policy, session: 2), C.credits("3"))
            try await fixture.spend(Acme.spend(Acme.policy(), session: 2))
            try await finish(2, .completed)
            try await C.charge(ledger, Acme.spend(policy, session: 3), C.credits("10"))
            try await finish(3, .failed)
            try await C.charge(ledger, Acme.spend(policy, agent: "coder", session: coder), C.credits("5"))
            try await finish(coder, .completed)
            try await C.charge(ledger, Acme.spend(policy, model: "gpt-5.4", session: gpt), C.credits("7"))
            try await finish(gpt, .completed)
            try await C.charge(ledger, Acme.spend(policy, session: 4), C.credits("20"))
            _ = try await ledger.transition(4, to: .running, reason: nil, worker: "w1", at: Acme.now)
            try await ledger.recordActualModel(5, model: "local", reason: "budget exhausted", at: Acme.now)
            try await C.charge(ledger, Acme.spend(policy, session: 5), C.credits("0.000001"))
            try await finish(5, .completed)

            #expect(
                try await ledger.completedSessionCosts(
                    agent: "reviewer", model: "claude-sonnet-4.5", unit: .aiCredits, limit: 10)
                    == [C.credits("3"), C.credits("1.75")])
            #expect(
                try await ledger.completedSessionCosts(
                    agent: "reviewer", model: "claude-sonnet-4.5", unit: .aiCredits, limit: 1) == [C.credits("3")])
            #expect(
                try await ledger.completedSessionCosts(
                    agent: "reviewer", model: "claude-sonnet-4.5", unit: .premiumRequests, limit: 10) == [amount("1")])
            #expect(
                try await ledger.completedSessionCosts(
                    agent: "coder", model: "claude-sonnet-4.5", unit: .aiCredits, limit: 10)
                    == [C.credits("5")])
            #expect(
                try await ledger.completedSessionCosts(agent: "reviewer", model: "gpt-5.4", unit: .aiCredits, limit: 10)
                    == [C.credits("7")])
            #expect(
                try await ledger.completedSessionCosts(agent: "reviewer", model: "local", unit: .aiCredits, limit: 10)
                    == [C.credits("0.000001")])
            #expect(
                try await ledger.completedSessionCosts(agent: "nobody", model: "gpt-5.4", unit: .aiCredits, limit: 10)
                    == [])
        }
    }
}
