import Testing

@testable import AgentSchedulerCore

/// Organisation policies that bill in AI credits (DESIGN §2.2, §9).
@Suite("Organisation policies in AI credits")
struct CreditsPolicyTests {
    static let team = [
        "agents/helper.yaml": "description: Helps.\n",
        "agents/reviewer.md": "---\nname: Code Reviewer\ndescription: Reviews.\nmodel: sonnet\n---\nReview.\n",
    ]

    /// A catalog whose models carry token prices: one free local model, one without any pricing.
    static let catalog = """
        default: gpt-4.1
        models:
          gpt-4.1: { provider: openai, multiplier: 0, pricing: { input: 2, cached-input: 0.50, output: 8 } }
          claude-sonnet-4.5:
            provider: anthropic
            multiplier: 1
            aliases: [sonnet]
            pricing: { input: 3, cached-input: 0.30, output: 15, cache-write: 3.75 }
          local: { provider: openai, base-url: "http://127.0.0.1:8080/v1", pricing: { input: 0, output: 0 } }
          unpriced: { provider: openai, multiplier: 0 }

        """

    static let otherUnitHint = "write the amount as 'ai-credits: N', or set 'billing: premium-requests'"
    static let allowanceHint = "the organisation budget still applies; lower the allowance to make it meaningful"
    static let creditsFallbackHint = "choose a model whose token prices are all 0, such as a local server"
    static let premiumFallbackHint = "choose a model with multiplier 0, such as one included in every plan"
    static let chargingHint = "remove 'charging:', or write 'charging: per-request'"
    static let chargingMessage =
        "'charging: per-session' is for premium requests; AI credits are charged per request"

    static func policy(_ label: String, _ text: String, _ expected: ExpectedDiagnostic...) -> FileCase {
        FileCase(label, file: "policies/acme.yaml", text, expected)
    }

    static func load(_ text: String) throws -> LoadedWorkspace {
        var files = team
        files["policies/acme.yaml"] = text
        return try loadWorkspace(files, catalog: catalog)
    }

    static let cases: [FileCase] = [
        policy(
            "premium-requests in the budget of an ai-credits policy",
            "org: acme\nbilling: ai-credits\nbudget:\n  premium-requests: 300\n",
            ExpectedDiagnostic(
                4, 21, .error, .policy, "'premium-requests' is not this policy's unit: it bills in ai-credits",
                hint: otherUnitHint)),
        policy(
            "premium-requests in a user's allowance of an ai-credits policy",
            "org: acme\nbilling: ai-credits\nusers:\n  alice: { premium-requests: 5 }\n",
            ExpectedDiagnostic(
                4, 30, .error, .policy, "'premium-requests' is not this policy's unit: it bills in ai-credits",
                hint: otherUnitHint)),
        policy(
            "premium-requests in an agent's cap of an ai-credits policy",
            "org: acme\nbilling: ai-credits\nagents:\n  helper: { premium-requests: 5 }\n",
            ExpectedDiagnostic(
                4, 31, .error, .policy, "'premium-requests' is not this policy's unit: it bills in ai-credits",
                hint: otherUnitHint)),
        policy(
            "ai-credits in the budget of a premium-requests policy (billing left out)",
            "org: acme\nbudget:\n  ai-credits: 5\n",
            ExpectedDiagnostic(
                3, 15, .error, .policy, "'ai-credits' is not this policy's unit: it bills in premium-requests",
                hint: "write the amount as 'premium-requests: N', or set 'billing: ai-credits'")),
        policy(
            "ai-credits in a user's allowance of a premium-requests policy",
            "org: acme\nbilling: premium-requests\nusers:\n  default: { ai-credits: 5 }\n",
            ExpectedDiagnostic(
                4, 26, .error, .policy, "'ai-credits' is not this policy's unit: it bills in premium-requests",
                hint: "write the amount as 'premium-requests: N', or set 'billing: ai-credits'")),
        policy(
            "charging: per-session with ai-credits",
            "org: acme\nbilling: ai-credits\ncharging: per-session\n",
            ExpectedDiagnostic(3, 11, .error, .policy, chargingMessage, hint: chargingHint)),
        policy(
            "charging: per-session written before billing: ai-credits",
            "org: acme\ncharging: per-session\nbilling: ai-credits\n",
            ExpectedDiagnostic(2, 11, .error, .policy, chargingMessage, hint: chargingHint)),
        policy(
            "charging: per-request with ai-credits is fine", "org: acme\nbilling: ai-credits\ncharging: per-request\n"),
        policy(
            "an unknown billing unit",
            "org: acme\nbilling: dollars\n",
            ExpectedDiagnostic(
                2, 10, .error, .invalidValue, "'billing' is 'dollars'; it must be one of premium-requests, ai-credits")),
        policy(
            "credits finer than a billionth",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: 0.0000000001\n",
            ExpectedDiagnostic(
                4, 15, .error, .invalidValue, "'ai-credits' value '0.0000000001' has more than 9 decimals")),
        policy(
            "negative credits",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: -5\n",
            ExpectedDiagnostic(4, 15, .error, .invalidValue, "'ai-credits' is -5; amounts cannot be negative")),
        policy(
            "a fallback model with token prices is not free in credits, though its multiplier is 0",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: 100\n  on-exhausted: fallback\n  fallback-model: gpt-4.1\n",
            ExpectedDiagnostic(
                6, 19, .error, .policy, "fallback model 'gpt-4.1' is not free in AI credits; it must cost 0",
                hint: creditsFallbackHint)),
        policy(
            "a fallback model without any pricing is not free in credits",
            "org: acme\nbilling: ai-credits\nbudget:\n  on-exhausted: fallback\n  fallback-model: unpriced\n",
            ExpectedDiagnostic(
                5, 19, .error, .policy, "fallback model 'unpriced' is not free in AI credits; it must cost 0",
                hint: creditsFallbackHint)),
        policy(
            "a fallback model with all-zero prices is free in credits",
            "org: acme\nbilling: ai-credits\nbudget:\n  on-exhausted: fallback\n  fallback-model: local\n"),
        policy(
            "an organisation's zero prices make a fallback model free in credits",
            """
            org: acme
            billing: ai-credits
            budget: { on-exhausted: fallback, fallback-model: gpt-4.1 }
            models:
              pricing:
                gpt-4.1: { input: 0, output: 0 }

            """),
        policy(
            "the free local model has no multiplier, so it is no fallback under premium requests",
            "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: local\n",
            ExpectedDiagnostic(
                4, 19, .error, .policy, "fallback model 'local' has no multiplier; it must cost 0",
                hint: premiumFallbackHint)),
        policy(
            "a user allowance above the budget warns in credits",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: 100\nusers:\n  alice: { ai-credits: 150.5 }\n",
            ExpectedDiagnostic(
                6, 24, .warning, .policy,
                "user 'alice' may use 150.5 AI credits, more than the organisation's budget of 100",
                hint: allowanceHint)),
        policy(
            "an agent cap a billionth above the budget warns in credits",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: 100\nagents:\n  helper: { ai-credits: 100.000000001 }\n",
            ExpectedDiagnostic(
                6, 25, .warning, .policy,
                "agent 'helper' may use 100.000000001 AI credits, more than the organisation's budget of 100",
                hint: allowanceHint)),
        policy(
            "an allowance equal to the budget does not warn",
            "org: acme\nbilling: ai-credits\nbudget:\n  ai-credits: 100\nusers:\n  default: { ai-credits: 100.000 }\n"),
        policy(
            "pricing for a model the catalog does not have",
            "org: acme\nbilling: ai-credits\nmodels:\n  pricing:\n    gpt-9: { input: 1, output: 2 }\n",
            ExpectedDiagnostic(
                5, 5, .error, .unknownModel, "'pricing' model 'gpt-9' is not in the model catalog")),
    ]

    @Test("a policy in AI credits gives exactly the expected diagnostics", arguments: cases)
    func diagnostics(policy: FileCase) throws {
        let loaded = try Self.load(policy.text)
        #expect(loaded.diagnostics == policy.expected.map { $0.diagnostic(in: loaded.path(policy.file)) })
    }

    @Test("billing, budget, users and agents in AI credits are read as exact amounts in .aiCredits")
    func parsesCredits() throws {
        let loaded = try Self.load(
            """
            org: acme
            billing: ai-credits
            budget:
              ai-credits: 190000
              period: weekly
              on-exhausted: fallback
              fallback-model: local
              alerts: [90, 50]
            users:
              default: { ai-credits: 1000 }
              alice: { ai-credits: 2500.5 }
              bob: {}
            agents:
              reviewer: { ai-credits: 0.000002 }
              helper:

            """)
        #expect(loaded.diagnostics == [])
        let policy = try #require(loaded.workspace.policy(named: "acme"))
        #expect(policy.billing == .aiCredits)
        #expect(policy.chargesPerRequest)
        #expect(
            policy.budget
                == BudgetPolicy(
                    limit: Amount(.aiCredits, minorUnits: 190_000_000_000_000), period: .weekly,
                    onExhausted: .fallback, fallbackModel: "local", alerts: [50, 90]))
        #expect(policy.budget.limit?.aiCredits == AICredits(190_000))
        #expect(policy.defaultUserAllowance == Amount(.aiCredits, minorUnits: 1_000_000_000_000))
        #expect(policy.users == ["alice": Amount(.aiCredits, minorUnits: 2_500_500_000_000), "bob": Amount?.none])
        #expect(policy.agents == ["reviewer": Amount(.aiCredits, minorUnits: 2_000), "helper": Amount?.none])
        #expect(policy.allowance(for: "alice")?.unit == .aiCredits)
        #expect(policy.allowance(for: "carol") == Amount(.aiCredits, minorUnits: 1_000_000_000_000))
        #expect(policy.allowance(for: "bob") == nil)
    }

    @Test("a policy without billing counts premium requests, and charges per session")
    func defaultsToPremiumRequests() throws {
        let loaded = try Self.load("org: acme\nbudget:\n  premium-requests: 300\n")
        #expect(loaded.diagnostics == [])
        let policy = try #require(loaded.workspace.policy(named: "acme"))
        #expect(policy.billing == .premiumRequests)
        #expect(!policy.chargesPerRequest)
        #expect(policy.budget.limit == Amount(.premiumRequests, minorUnits: 300_000))
    }

    @Test("models.pricing overrides the catalog's prices, under the model's canonical name")
    func pricingOverride() throws {
        let loaded = try Self.load(
            """
            org: acme
            billing: ai-credits
            models:
              pricing:
                Sonnet: { input: 1.50, cached-input: 0.15, output: 7.50,
                  long-context: { above: 200000, input: 3, output: 11.25 } }

            """)
        #expect(loaded.diagnostics == [])
        let policy = try #require(loaded.workspace.policy(named: "acme"))
        let catalog = try #require(loaded.workspace.catalog)
        let sonnet = try #require(catalog.model(named: "claude-sonnet-4.5"))
        let gpt = try #require(catalog.model(named: "gpt-4.1"))
        let override = TokenPricing(
            standard: .init(
                input: TokenPrice(nanocreditsPerToken: 150_000), cachedInput: TokenPrice(nanocreditsPerToken: 15_000),
                output: TokenPrice(nanocreditsPerToken: 750_000)),
            longContext: .init(
                above: 200_000,
                rates: .init(
                    input: TokenPrice(nanocreditsPerToken: 300_000), output: TokenPrice(nanocreditsPerToken: 1_125_000))
            ))
        #expect(policy.models.pricing == ["claude-sonnet-4.5": override])
        #expect(policy.models.pricing(for: sonnet) == override)
        #expect(
            sonnet.pricing
                == TokenPricing(
                    standard: .init(
                        input: TokenPrice(nanocreditsPerToken: 300_000),
                        cachedInput: TokenPrice(nanocreditsPerToken: 30_000),
                        output: TokenPrice(nanocreditsPerToken: 1_500_000),
                        cacheWrite: TokenPrice(nanocreditsPerToken: 375_000))))
        #expect(policy.models.pricing(for: gpt) == gpt.pricing)
        #expect(policy.models.pricing(for: gpt)?.standard.output == TokenPrice(nanocreditsPerToken: 800_000))
        // 1,000 input and 100 output tokens: 0.15 + 0.075 credits at the organisation's price.
        let cost = try #require(policy.models.pricing(for: sonnet)).cost(of: TokenCounts(input: 1_000, output: 100))
        #expect(cost.credits == AICredits(nanocredits: 225_000_000))
        #expect(!policy.models.isFree(sonnet, in: .aiCredits))
        #expect(policy.models.isFree(try #require(catalog.model(named: "local")), in: .aiCredits))
        #expect(!policy.models.isFree(try #require(catalog.model(named: "unpriced")), in: .aiCredits))
        #expect(policy.models.isFree(try #require(catalog.model(named: "unpriced")), in: .premiumRequests))
    }
}
