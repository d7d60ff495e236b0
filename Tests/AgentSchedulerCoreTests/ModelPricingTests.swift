import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Model pricing: dollars per million tokens, exact, with long-context tiers")
struct ModelPricingTests {
    static let helper = ["agents/helper.yaml": "description: Helps.\n"]

    /// The pricing of the one model of a catalog whose `gpt-4.1` entry ends in `fields`.
    static func pricing(_ fields: String) throws -> (TokenPricing?, [Diagnostic]) {
        let loaded = try loadWorkspace(
            helper, catalog: "default: gpt-4.1\nmodels:\n  gpt-4.1: { provider: openai, \(fields) }\n")
        return (loaded.workspace.catalog?.model(named: "gpt-4.1")?.pricing, loaded.diagnostics)
    }

    static func price(_ text: String) throws -> TokenPrice {
        try TokenPrice.parse(text).get()
    }

    @Test(
        "a price is read digit by digit into billionths of a credit per token",
        arguments: [
            ("2.50", 250_000), ("15.00", 1_500_000), ("15", 1_500_000), ("0.025", 2_500), ("$0.025", 2_500),
            ("\"$0.025\"", 2_500), ("\"2.50\"", 250_000), ("0.02", 2_000), ("0.00001", 1), ("0", 0),
            ("0.10000000", 10_000), ("1_000", 100_000_000),
        ] as [(String, Int64)])
    func exactPrice(written: String, nanocredits: Int64) throws {
        let (pricing, diagnostics) = try Self.pricing("pricing: { input: \(written), output: 1 }")
        #expect(diagnostics == [])
        #expect(pricing?.standard.input == TokenPrice(nanocreditsPerToken: nanocredits))
    }

    @Test("every column and a long-context tier are read; absent cache columns stay absent")
    func fullPricing() throws {
        let (pricing, diagnostics) = try Self.pricing(
            """
            multiplier: 1, pricing: { input: 5.00, cached-input: 0.50, output: 30.00, cache-write: 6.25,
                long-context: { above: 272000, input: 10.00, cached-input: 1.00, output: 45.00 } }
            """)
        #expect(diagnostics == [])
        #expect(
            pricing
                == TokenPricing(
                    standard: .init(
                        input: try Self.price("5"), cachedInput: try Self.price("0.5"), output: try Self.price("30"),
                        cacheWrite: try Self.price("6.25")),
                    longContext: .init(
                        above: 272_000,
                        rates: .init(
                            input: try Self.price("10"), cachedInput: try Self.price("1"),
                            output: try Self.price("45")))))
        let (plain, _) = try Self.pricing("pricing: { input: 2, output: 8 }")
        #expect(plain?.standard.cachedInput == nil && plain?.standard.cacheWrite == nil && plain?.longContext == nil)
    }

    @Test("`long-context` beside `pricing` reads as the same tier as inside it")
    func longContextBeside() throws {
        let (inside, insideDiagnostics) = try Self.pricing(
            "pricing: { input: 2, output: 12, long-context: { above: 200000, input: 4, output: 18 } }")
        let (beside, besideDiagnostics) = try Self.pricing(
            "pricing: { input: 2, output: 12 }, long-context: { above: 200000, input: 4, output: 18 }")
        #expect(insideDiagnostics == [] && besideDiagnostics == [])
        #expect(inside?.longContext?.above == 200_000)
        #expect(beside == inside)
    }

    @Test("a model may have pricing without a multiplier, or both")
    func pricingWithoutMultiplier() throws {
        let loaded = try loadWorkspace(
            Self.helper,
            catalog: """
                default: priced
                models:
                  priced: { provider: openai, pricing: { input: 1, output: 2 } }
                  both: { provider: openai, multiplier: 1, pricing: { input: 1, output: 2 } }

                """)
        #expect(loaded.diagnostics == [])
        #expect(loaded.workspace.catalog?.model(named: "priced")?.multiplier == nil)
        #expect(loaded.workspace.catalog?.model(named: "both")?.multiplier == PremiumRequests(1))
    }

    /// GPT-5.4's prices: no cache-write column, a tier above 272K prompt tokens.
    static let gpt54 = TokenPricing(
        standard: .init(
            input: TokenPrice(nanocreditsPerToken: 250_000), cachedInput: TokenPrice(nanocreditsPerToken: 25_000),
            output: TokenPrice(nanocreditsPerToken: 1_500_000)),
        longContext: .init(
            above: 272_000,
            rates: .init(
                input: TokenPrice(nanocreditsPerToken: 500_000), cachedInput: TokenPrice(nanocreditsPerToken: 50_000),
                output: TokenPrice(nanocreditsPerToken: 2_250_000))))

    /// Claude Sonnet 4.5's prices: all four columns, no tier.
    static let sonnet = TokenPricing(
        standard: .init(
            input: TokenPrice(nanocreditsPerToken: 300_000), cachedInput: TokenPrice(nanocreditsPerToken: 30_000),
            output: TokenPrice(nanocreditsPerToken: 1_500_000), cacheWrite: TokenPrice(nanocreditsPerToken: 375_000)))

    struct CostCase: Sendable, CustomTestStringConvertible {
        var label: String
        var pricing: TokenPricing
        var tokens: TokenCounts
        var tier: TokenPricing.Tier
        /// The exact cost in credits, as decimal text.
        var credits: String
        var testDescription: String { label }
    }

    static let costs: [CostCase] = [
        CostCase(
            label: "exactly `above` prompt tokens is the standard tier", pricing: gpt54,
            tokens: TokenCounts(input: 272_000), tier: .standard, credits: "68"),
        CostCase(
            label: "`above` + 1 prompt tokens is the long-context tier, for every token", pricing: gpt54,
            tokens: TokenCounts(input: 272_001), tier: .longContext, credits: "136.0005"),
        CostCase(
            label: "cached tokens count toward the threshold", pricing: gpt54,
            tokens: TokenCounts(input: 200_000, cachedInput: 72_001, output: 1_000), tier: .longContext,
            credits: "105.85005"),
        CostCase(
            label: "output tokens do not count toward the threshold", pricing: gpt54,
            tokens: TokenCounts(input: 272_000, output: 100_000), tier: .standard, credits: "218"),
        CostCase(
            label: "input, cached input, cache write and output each at their own price", pricing: sonnet,
            tokens: TokenCounts(input: 1_000, cachedInput: 10_000, cacheWrite: 2_000, output: 500), tier: .standard,
            credits: "2.1"),
        CostCase(
            label: "a missing cache-write price bills cache writes at the input price", pricing: gpt54,
            tokens: TokenCounts(cacheWrite: 1_000), tier: .standard, credits: "0.25"),
        CostCase(
            label: "one cached token at $0.025 per million is exact", pricing: gpt54,
            tokens: TokenCounts(cachedInput: 1), tier: .standard, credits: "0.000025"),
    ]

    @Test("a request's cost is exact, at the tier its prompt falls in", arguments: costs)
    func cost(_ cost: CostCase) throws {
        let (tier, credits) = cost.pricing.cost(of: cost.tokens)
        #expect(tier == cost.tier)
        #expect(credits == (try AICredits.parse(cost.credits).get()))
    }

    @Test("a missing cached-input price bills cache reads at the input price")
    func missingCachedInput() {
        let pricing = TokenPricing(
            standard: .init(
                input: TokenPrice(nanocreditsPerToken: 100_000), output: TokenPrice(nanocreditsPerToken: 400_000)))
        #expect(pricing.cost(of: TokenCounts(cachedInput: 10)).credits == AICredits(nanocredits: 1_000_000))
    }

    @Test("catalog text reads back as the same pricing, tier and all", arguments: [gpt54, sonnet])
    func catalogTextRoundTrip(pricing: TokenPricing) throws {
        let (read, diagnostics) = try Self.pricing("pricing: \(pricing.catalogText)")
        #expect(diagnostics == [])
        #expect(read == pricing)
    }

    @Test("catalog text writes exact dollars per million tokens")
    func catalogText() {
        #expect(
            Self.gpt54.catalogText
                == "{ input: 2.5, cached-input: 0.25, output: 15, long-context: { above: 272000, input: 5, cached-input: 0.5, output: 22.5 } }"
        )
    }

    @Test("the catalog's framing-tokens is every model's default; a model's own wins")
    func framingTokens() throws {
        let loaded = try loadWorkspace(
            Self.helper,
            catalog: """
                default: a
                framing-tokens: 12
                models:
                  a: { provider: openai, multiplier: 0 }
                  b: { provider: openai, multiplier: 0, framing-tokens: 3 }

                """)
        #expect(loaded.diagnostics == [])
        let catalog = try #require(loaded.workspace.catalog)
        #expect(catalog.framingTokens == 12)
        #expect(catalog.model(named: "a")?.framingTokensPerMessage == 12)
        #expect(catalog.model(named: "b")?.framingTokensPerMessage == 3)
        let without = try loadWorkspace(
            Self.helper, catalog: "default: a\nmodels:\n  a: { provider: openai, multiplier: 0 }\n")
        #expect(
            without.workspace.catalog?.model(named: "a")?.framingTokensPerMessage
                == ModelDefinition.defaultFramingTokens)
    }
}
