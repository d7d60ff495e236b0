import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

/// Budget committed (or held open) before the request under test.
struct CreditsFill: Sendable {
    var spend: Spend
    var amount: Amount
    var commit: Bool = true
}

/// One `reserveRequest` under AI credits and what it must decide.
struct RequestCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Reserved `amount` (the worst case at `outputTokens`), on `model`.
        case reserved(outputTokens: Int, tier: TokenPricing.Tier, amount: Amount, model: String)
        /// Blocked on the scope of `kind` and `name` with these figures; `text` when given is the denial's.
        case blocked(
            kind: BudgetScope.Kind, name: String, used: Amount, reserved: Amount, requested: Amount, text: String?)
    }

    var name: String
    var policy: OrganizationPolicy
    var fill: [CreditsFill] = []
    var spend: Spend
    var promptTokens: Int = 10_000
    var maxOutputTokens: Int = 4_096
    var outcome: Outcome

    var testDescription: String { name }

    static let resets = "; it resets at 2026-04-01T00:00:00Z"

    /// gpt-5.4 at 10,000 prompt tokens: the prompt's worst case is 2.5 credits, each output token 0.0015.
    static let all: [RequestCase] = {
        typealias C = CreditsAcme
        let credits = C.credits
        func spend(
            _ policy: OrganizationPolicy, user: String = "alice", agent: String = "reviewer",
            model: String = "gpt-5.4", session: SessionID? = nil, sessionLimit: Amount? = nil
        ) -> Spend {
            Acme.spend(policy, user: user, agent: agent, model: model, session: session, sessionLimit: sessionLimit)
        }
        let roomy = C.policy(budget: credits("100"))
        let five = C.policy(budget: credits("5"))
        let ten = C.policy(budget: credits("10"))
        let floor = C.policy(budget: credits("2.884"))
        let belowFloor = C.policy(budget: credits("2.8825"))
        let user = C.policy(users: ["alice": credits("2.8")])
        let defaulted = C.policy(users: ["alice": credits("50")], defaultAllowance: credits("4"))
        let agent = C.policy(agents: ["reviewer": credits("2")])
        let agentUsed = C.policy(agents: ["reviewer": credits("6")])
        let tightest = C.policy(
            budget: credits("10"), users: ["alice": credits("6")], agents: ["reviewer": credits("4")])
        let wide = C.policy(budget: credits("1000"))
        let long = C.policy(budget: credits("140"))
        let small = C.policy(budget: credits("2.66"))
        let smaller = C.policy(budget: credits("2.6"))
        let fallback = C.policy(budget: credits("2.8"), onExhausted: .fallback, fallback: "local")
        let roomyFallback = C.policy(budget: credits("100"), onExhausted: .fallback, fallback: "local")
        let pricedFallback = C.policy(budget: credits("2.8"), onExhausted: .fallback, fallback: "gpt-5.4")
        let overridden = C.policy(pricing: ["gpt-4.1": C.gpt54])
        let empty = C.policy(budget: credits("0"))
        return [
            RequestCase(
                name: "room for the full worst case reserves it with max_tokens", policy: roomy,
                spend: spend(roomy),
                outcome: .reserved(outputTokens: 4_096, tier: .standard, amount: credits("8.644"), model: "gpt-5.4")),
            RequestCase(
                name: "room for less lowers max_tokens to what fits: (5 − 2.5) / 0.0015 = 1666", policy: five,
                spend: spend(five),
                outcome: .reserved(outputTokens: 1_666, tier: .standard, amount: credits("4.999"), model: "gpt-5.4")),
            RequestCase(
                name: "used and reserved budget both count: (10 − 4 − 1.5 − 2.5) / 0.0015 = 1333", policy: ten,
                fill: [
                    CreditsFill(spend: spend(ten, user: "bob"), amount: credits("4")),
                    CreditsFill(spend: spend(ten, user: "carol"), amount: credits("1.5"), commit: false),
                ],
                spend: spend(ten),
                outcome: .reserved(outputTokens: 1_333, tier: .standard, amount: credits("4.4995"), model: "gpt-5.4")),
            RequestCase(
                name: "room for exactly the floor of 256 output tokens is enough", policy: floor, spend: spend(floor),
                outcome: .reserved(outputTokens: 256, tier: .standard, amount: credits("2.884"), model: "gpt-5.4")),
            RequestCase(
                name: "room for 255 output tokens blocks on the organisation", policy: belowFloor,
                spend: spend(belowFloor),
                outcome: .blocked(
                    kind: .org, name: "acme", used: credits("0"), reserved: credits("0"), requested: credits("8.644"),
                    text:
                        "the budget of organisation acme is used up: 0.00 used and 0.00 reserved of 2.88 AI credits, 8.64 more needed"
                        + resets)),
            RequestCase(
                name: "a user's allowance below the floor blocks on the user", policy: user, spend: spend(user),
                outcome: .blocked(
                    kind: .user, name: "acme/alice", used: credits("0"), reserved: credits("0"),
                    requested: credits("8.644"),
                    text:
                        "the budget of user alice in acme is used up: 0.00 used and 0.00 reserved of 2.80 AI credits, 8.64 more needed"
                        + resets)),
            RequestCase(
                name: "the default allowance lowers max_tokens: (4 − 2.5) / 0.0015 = 1000", policy: defaulted,
                spend: spend(defaulted, user: "carol"),
                outcome: .reserved(outputTokens: 1_000, tier: .standard, amount: credits("4"), model: "gpt-5.4")),
            RequestCase(
                name: "an agent's cap below the prompt blocks on the agent", policy: agent, spend: spend(agent),
                outcome: .blocked(
                    kind: .agent, name: "acme/reviewer", used: credits("0"), reserved: credits("0"),
                    requested: credits("8.644"),
                    text:
                        "the budget of agent reviewer in acme is used up: 0.00 used and 0.00 reserved of 2.00 AI credits, 8.64 more needed"
                        + resets)),
            RequestCase(
                name: "an agent's used cap lowers max_tokens: (6 − 1 − 2.5) / 0.0015 = 1666", policy: agentUsed,
                fill: [CreditsFill(spend: spend(agentUsed, user: "bob"), amount: credits("1"))],
                spend: spend(agentUsed),
                outcome: .reserved(outputTokens: 1_666, tier: .standard, amount: credits("4.999"), model: "gpt-5.4")),
            RequestCase(
                name: "the tightest of organisation, user and agent decides: (4 − 2.5) / 0.0015 = 1000",
                policy: tightest,
                spend: spend(tightest),
                outcome: .reserved(outputTokens: 1_000, tier: .standard, amount: credits("4"), model: "gpt-5.4")),
            RequestCase(
                name: "a session's cap used up blocks on the session", policy: roomy,
                fill: [
                    CreditsFill(spend: spend(roomy, session: 7, sessionLimit: credits("3")), amount: credits("0.6"))
                ],
                spend: spend(roomy, session: 7, sessionLimit: credits("3")),
                outcome: .blocked(
                    kind: .session, name: "7", used: credits("0.6"), reserved: credits("0"),
                    requested: credits("8.644"),
                    text: "the credit cap of session 7 is used up: 0.60 used and 0.00 reserved of 3.00 AI credits, "
                        + "8.64 more needed")),
            RequestCase(
                name: "a session's cap lowers max_tokens: (5 − 2 − 2.5) / 0.0015 = 333", policy: roomy,
                fill: [CreditsFill(spend: spend(roomy, session: 8, sessionLimit: credits("5")), amount: credits("2"))],
                spend: spend(roomy, session: 8, sessionLimit: credits("5")),
                outcome: .reserved(outputTokens: 333, tier: .standard, amount: credits("2.9995"), model: "gpt-5.4")),
            RequestCase(
                name: "a prompt of more than 272,000 tokens is reserved at the long-context prices", policy: wide,
                spend: spend(wide), promptTokens: 272_001,
                outcome: .reserved(
                    outputTokens: 4_096, tier: .longContext, amount: credits("145.2165"), model: "gpt-5.4")),
            RequestCase(
                name: "a prompt of exactly 272,000 tokens is reserved at the standard prices", policy: wide,
                spend: spend(wide), promptTokens: 272_000,
                outcome: .reserved(outputTokens: 4_096, tier: .standard, amount: credits("74.144"), model: "gpt-5.4")),
            RequestCase(
                name: "long-context output is lowered at its own price: (140 − 136.0005) / 0.00225 = 1777",
                policy: long,
                spend: spend(long), promptTokens: 272_001,
                outcome: .reserved(
                    outputTokens: 1_777, tier: .longContext, amount: credits("139.99875"), model: "gpt-5.4")),
            RequestCase(
                name: "the prompt's worst case is at the dearest input price (Sonnet's cache write)", policy: roomy,
                spend: spend(roomy, model: "sonnet"),
                outcome: .reserved(
                    outputTokens: 4_096, tier: .standard, amount: credits("9.894"), model: "claude-sonnet-4.5")),
            RequestCase(
                name: "a max_tokens below the floor is its own floor: it fits whole", policy: small,
                spend: spend(small), maxOutputTokens: 100,
                outcome: .reserved(outputTokens: 100, tier: .standard, amount: credits("2.65"), model: "gpt-5.4")),
            RequestCase(
                name: "a max_tokens below the floor is not lowered further", policy: smaller,
                spend: spend(smaller), maxOutputTokens: 100,
                outcome: .blocked(
                    kind: .org, name: "acme", used: credits("0"), reserved: credits("0"), requested: credits("2.65"),
                    text:
                        "the budget of organisation acme is used up: 0.00 used and 0.00 reserved of 2.60 AI credits, 2.65 more needed"
                        + resets)),
            RequestCase(
                name: "on-exhausted: fallback runs on the free model with max_tokens, reserving 0", policy: fallback,
                spend: spend(fallback),
                outcome: .reserved(outputTokens: 4_096, tier: .standard, amount: credits("0"), model: "local")),
            RequestCase(
                name: "on-exhausted: fallback does not save a session over its own cap", policy: roomyFallback,
                spend: spend(roomyFallback, session: 9, sessionLimit: credits("1")),
                outcome: .blocked(
                    kind: .session, name: "9", used: credits("0"), reserved: credits("0"), requested: credits("8.644"),
                    text: "the credit cap of session 9 is used up: 0.00 used and 0.00 reserved of 1.00 AI credits, "
                        + "8.64 more needed")),
            RequestCase(
                name: "a fallback model with prices is no fallback: blocked", policy: pricedFallback,
                spend: spend(pricedFallback),
                outcome: .blocked(
                    kind: .org, name: "acme", used: credits("0"), reserved: credits("0"), requested: credits("8.644"),
                    text:
                        "the budget of organisation acme is used up: 0.00 used and 0.00 reserved of 2.80 AI credits, 8.64 more needed"
                        + resets)),
            RequestCase(
                name: "the organisation's models.pricing prices a model the catalog does not", policy: overridden,
                spend: spend(overridden, model: "gpt-4.1"),
                outcome: .reserved(outputTokens: 4_096, tier: .standard, amount: credits("8.644"), model: "gpt-4.1")),
            RequestCase(
                name: "a free model runs on a budget of 0", policy: empty, spend: spend(empty, model: "local"),
                outcome: .reserved(outputTokens: 4_096, tier: .standard, amount: credits("0"), model: "local")),
        ]
    }()
}

/// `BudgetEngine.reserveRequest` (DESIGN §5.8, §9): reserve each request's worst case, lower
/// `max_tokens` to fit down to a floor, else block or fall back.
@Suite("Request reservations in AI credits")
struct RequestReservationTests {
    typealias C = CreditsAcme

    @Test("the floor of output tokens is 256")
    func floor() {
        #expect(BudgetEngine.outputTokenFloor == 256)
    }

    @Test(
        "reserveRequest reserves the worst case, lowers max_tokens to fit, or blocks",
        arguments: LedgerEngine.available, RequestCase.all)
    func reserveRequest(engine: LedgerEngine, _ example: RequestCase) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let engine = C.engine(fixture)
            for fill in example.fill {
                guard case .reserved(let reservation) = try await C.reserve(ledger, fill.spend, fill.amount) else {
                    Issue.record("the fill of \(fill.amount) did not fit")
                    return
                }
                if fill.commit {
                    try await engine.commit(reservation, policy: fill.spend.policy)
                }
            }
            let scopes = BudgetEngine.scopes(for: example.spend, at: Acme.now)
            let before = try await ledger.usage(of: scopes)
            let open = try await ledger.openReservations()
            let decision = try await engine.reserveRequest(
                example.spend, promptTokens: example.promptTokens, maxOutputTokens: example.maxOutputTokens)
            switch (example.outcome, decision) {
            case (
                .reserved(let outputTokens, let tier, let amount, let model),
                .reserved(let reservation, let sent, let sentTier)
            ):
                #expect(sent == outputTokens)
                #expect(sentTier == tier)
                #expect(reservation.amount == amount)
                #expect(reservation.context.actualModel == model)
                #expect(reservation.context.requestedModel == C.catalog.model(named: example.spend.model)?.name)
                #expect(sent >= min(BudgetEngine.outputTokenFloor, example.maxOutputTokens))
                #expect(sent <= example.maxOutputTokens)
                if model == reservation.context.requestedModel,
                    let pricing = example.policy.models.pricing(
                        for: try #require(C.catalog.model(named: model)))
                {
                    let worst = pricing.worstCase(promptTokens: example.promptTokens, outputTokens: sent)
                    #expect(worst.credits.amount == amount)
                    #expect(worst.tier == tier)
                }
                #expect(try await ledger.openReservations() == open + [reservation])
                let after = try await ledger.usage(of: scopes)
                #expect(after == before.map { ScopeUsage(used: $0.used, reserved: $0.reserved + amount) })
                for (scope, usage) in zip(scopes, after) {
                    if let limit = scope.limit { #expect(usage.used + usage.reserved <= limit, "\(scope.key)") }
                }
            case (.blocked(let kind, let name, let used, let reserved, let requested, let text), .blocked(let denial)):
                #expect(denial.exhaustion.scope.kind == kind)
                #expect(denial.exhaustion.scope.name == name)
                #expect(denial.exhaustion.scope.unit == .aiCredits)
                #expect(denial.exhaustion.usage == ScopeUsage(used: used, reserved: reserved))
                #expect(denial.exhaustion.requested == requested)
                #expect(denial.resetsAt == (kind == .session ? nil : utc("2026-04-01T00:00:00Z")))
                if let text { #expect(denial.description == text) }
                #expect(try await ledger.openReservations() == open)
                #expect(try await ledger.usage(of: scopes) == before)
            default:
                Issue.record("expected \(example.outcome), got \(decision)")
            }
        }
    }

    @Test(
        "a session cap's denial under AI credits names a credit cap, in rounded AI credits",
        arguments: LedgerEngine.available)
    func sessionDenialText(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let spend = Acme.spend(C.policy(), model: "gpt-5.4", session: 7, sessionLimit: C.credits("1"))
            guard
                case .blocked(let denial) = try await C.engine(fixture).reserveRequest(
                    spend, promptTokens: 10_000, maxOutputTokens: 4_096)
            else {
                Issue.record("a request over the session's cap was reserved")
                return
            }
            #expect(denial.exhaustion.scope.kind == .session)
            #expect(denial.resetsAt == nil)
            #expect(
                denial.description
                    == "the credit cap of session 7 is used up: 0.00 used and 0.00 reserved of 1.00 AI credits, "
                    + "8.64 more needed")
            #expect(!denial.description.contains("premium"))
        }
    }

    @Test(
        "an unpriced or unknown model, or a premium-request policy, fails closed and reserves nothing",
        arguments: LedgerEngine.available)
    func failsClosed(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let engine = C.engine(fixture)
            await #expect(throws: BudgetError.unpriced(model: "gpt-4.1", unit: .aiCredits)) {
                _ = try await engine.reserveRequest(
                    Acme.spend(C.policy(), model: "gpt-4.1"), promptTokens: 10, maxOutputTokens: 10)
            }
            await #expect(throws: BudgetError.unknownModel("gpt-9")) {
                _ = try await engine.reserveRequest(
                    Acme.spend(C.policy(), model: "gpt-9"), promptTokens: 10, maxOutputTokens: 10)
            }
            var narrow = C.policy()
            narrow.models.allow = ["claude-*"]
            await #expect(throws: BudgetError.modelNotAllowed(model: "gpt-5.4", org: "acme")) {
                _ = try await engine.reserveRequest(
                    Acme.spend(narrow, model: "gpt-5.4"), promptTokens: 10, maxOutputTokens: 10)
            }
            await #expect(throws: BudgetError.unpriced(model: "gpt-5.4", unit: .aiCredits)) {
                _ = try await engine.reserveRequest(
                    Acme.spend(Acme.policy(), model: "gpt-5.4"), promptTokens: 10, maxOutputTokens: 10)
            }
            #expect(
                BudgetError.unpriced(model: "gpt-4.1", unit: .aiCredits).description
                    == "model 'gpt-4.1' has no token pricing; nothing can be charged for it in AI credits")
            #expect(try await ledger.openReservations() == [])
            #expect(try await fixture.events(.budgetReserved) == [])
        }
    }

    @Test(
        "a committed request is charged its reported tokens at the reserved tier; the rest returns",
        arguments: LedgerEngine.available)
    func commitReportedUsage(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let engine = C.engine(fixture)
            let policy = C.policy(budget: C.credits("10"))
            let spend = Acme.spend(policy, model: "gpt-5.4", session: 11)
            guard
                case .reserved(let reservation, let outputTokens, .standard) = try await engine.reserveRequest(
                    spend, promptTokens: 10_000, maxOutputTokens: 4_096)
            else {
                Issue.record("refused")
                return
            }
            #expect(outputTokens == 4_096)
            let tokens = TokenCounts(input: 2_000, cachedInput: 6_000, output: 700)
            let cost = C.gpt54.cost(of: tokens)
            #expect(cost.credits == AICredits(nanocredits: 500_000_000 + 150_000_000 + 1_050_000_000))
            let charge = try await engine.commit(
                reservation, policy: policy, amount: cost.credits.amount, tokens: tokens)
            #expect(charge.tokens == tokens)
            #expect(charge.amount == C.credits("1.7"))
            let org = BudgetEngine.scopes(for: spend, at: Acme.now)[0]
            #expect(try await ledger.usage(of: [org]) == [ScopeUsage(used: C.credits("1.7"), reserved: C.credits("0"))])
            // What is left, 8.3 credits, holds a whole 4,096-token worst case again (8.644 does not).
            guard
                case .reserved(_, let next, _) = try await engine.reserveRequest(
                    spend, promptTokens: 10_000, maxOutputTokens: 4_096)
            else {
                Issue.record("refused")
                return
            }
            #expect(next == 3_866)
        }
    }

    @Test(
        "200 concurrent reserve-and-commit tasks never push used + reserved over a limit and leave nothing open",
        arguments: LedgerEngine.available)
    func concurrent(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            let engine = C.engine(fixture)
            let policy = C.policy(
                budget: C.credits("50"), users: ["alice": C.credits("30")], agents: ["reviewer": C.credits("35")])
            struct Outcome: Sendable {
                var user: String
                var agent: String
                var charged: Amount?
                var overruns: [String]
            }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let user = index % 2 == 0 ? "alice" : "bob"
                        let agent = index % 3 == 0 ? "coder" : "reviewer"
                        let spend = Acme.spend(policy, user: user, agent: agent, model: "gpt-5.4")
                        let scopes = BudgetEngine.scopes(for: spend, at: Acme.now)
                        let decision = try await engine.reserveRequest(
                            spend, promptTokens: 1_000, maxOutputTokens: 1_000)
                        guard case .reserved(let reservation, let outputTokens, _) = decision else {
                            return Outcome(user: user, agent: agent, charged: nil, overruns: [])
                        }
                        var overruns: [String] = []
                        for (scope, usage) in zip(scopes, try await ledger.usage(of: scopes)) {
                            if let limit = scope.limit, usage.used + usage.reserved > limit {
                                overruns.append("\(scope.key): \(usage.used) + \(usage.reserved) > \(limit)")
                            }
                        }
                        let tokens = TokenCounts(input: 1_000, output: min(500, outputTokens))
                        let cost = C.gpt54.cost(of: tokens).credits.amount
                        try await engine.commit(reservation, policy: policy, amount: cost, tokens: tokens)
                        return Outcome(user: user, agent: agent, charged: cost, overruns: overruns)
                    }
                }
                var all: [Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 200)
            #expect(outcomes.flatMap(\.overruns) == [])
            #expect(try await ledger.openReservations() == [])
            func sum(_ outcomes: [Outcome]) -> Amount {
                outcomes.compactMap(\.charged).reduce(.zero(.aiCredits), +)
            }
            let charged = outcomes.filter { $0.charged != nil }
            #expect(!charged.isEmpty && charged.count < 200)
            let scopes = BudgetEngine.scopes(for: Acme.spend(policy, model: "gpt-5.4"), at: Acme.now)
            let usage = try await ledger.usage(of: scopes)
            #expect(usage[0] == ScopeUsage(used: sum(outcomes), reserved: C.credits("0")))
            #expect(usage[1] == ScopeUsage(used: sum(outcomes.filter { $0.user == "alice" }), reserved: C.credits("0")))
            #expect(
                usage[2] == ScopeUsage(used: sum(outcomes.filter { $0.agent == "reviewer" }), reserved: C.credits("0")))
            #expect(usage[0].used <= C.credits("50"))
            #expect(usage[1].used <= C.credits("30"))
            #expect(usage[2].used <= C.credits("35"))
            let charges = try await ledger.charges(from: Acme.now - 1, until: Acme.now + 1, org: "acme")
            #expect(charges.count == charged.count)
            #expect(charges.map(\.amount).reduce(.zero(.aiCredits), +) == sum(outcomes))
            #expect(charges.allSatisfy { $0.tokens.input == 1_000 && $0.amount.unit == .aiCredits })
        }
    }
}
