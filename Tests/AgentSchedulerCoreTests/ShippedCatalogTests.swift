import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("The shipped catalog: GitHub's price table, multipliers kept, retired names")
struct ShippedCatalogTests {
    /// One row of GitHub Copilot's price table (github/docs data/tables/copilot/models-and-pricing.yml
    /// at 024f6b0f, and the previous edition for models the catalog keeps): the display name, the
    /// catalog model, and `input/cached-input/output/cache-write` in dollars per million tokens
    /// (`-` for "Not applicable"), with the long-context tier when the table has one.
    struct PriceRow: Sendable, CustomTestStringConvertible {
        var displayName: String
        var model: String
        var standard: String
        var longContext: (above: Int, rates: String)?

        init(_ displayName: String, _ model: String, _ standard: String, above: Int? = nil, _ long: String? = nil) {
            self.displayName = displayName
            self.model = model
            self.standard = standard
            if let above, let long { longContext = (above, long) }
        }

        var testDescription: String { displayName }

        static func rates(_ text: String) throws -> TokenPricing.Rates {
            let prices = try text.split(separator: "/").map { $0 == "-" ? nil : try TokenPrice.parse(String($0)).get() }
            return TokenPricing.Rates(
                input: try #require(prices[0]), cachedInput: prices[1], output: try #require(prices[2]),
                cacheWrite: prices[3])
        }

        func pricing() throws -> TokenPricing {
            TokenPricing(
                standard: try Self.rates(standard),
                longContext: try longContext.map { .init(above: $0.above, rates: try Self.rates($0.rates)) })
        }
    }

    static let table: [PriceRow] = [
        PriceRow("GPT-5 mini", "gpt-5-mini", "0.25/0.025/2.00/-"),
        PriceRow("GPT-5.3-Codex", "gpt-5.3-codex", "1.75/0.175/14.00/-"),
        PriceRow("GPT-5.4", "gpt-5.4", "2.50/0.25/15.00/-", above: 272_000, "5.00/0.50/22.50/-"),
        PriceRow("GPT-5.4 mini", "gpt-5.4-mini", "0.75/0.075/4.50/-"),
        PriceRow("GPT-5.4 nano", "gpt-5.4-nano", "0.20/0.02/1.25/-"),
        PriceRow("GPT-5.5", "gpt-5.5", "5.00/0.50/30.00/-", above: 272_000, "10.00/1.00/45.00/-"),
        PriceRow("GPT-5.6 Luna", "gpt-5.6-luna", "0.20/0.02/1.20/0.25", above: 200_000, "0.40/0.04/1.80/0.50"),
        PriceRow("GPT-5.6 Sol", "gpt-5.6-sol", "5.00/0.50/30.00/6.25", above: 272_000, "10.00/1.00/45.00/12.50"),
        PriceRow("GPT-5.6 Terra", "gpt-5.6-terra", "2.00/0.20/12.00/2.50", above: 272_000, "4.00/0.40/18.00/5.00"),
        PriceRow("Claude Haiku 4.5", "claude-haiku-4.5", "1.00/0.10/5.00/1.25"),
        PriceRow("Claude Sonnet 4", "claude-sonnet-4", "3.00/0.30/15.00/3.75"),
        PriceRow("Claude Sonnet 4.5", "claude-sonnet-4.5", "3.00/0.30/15.00/3.75"),
        PriceRow("Claude Sonnet 4.6", "claude-sonnet-4.6", "3.00/0.30/15.00/3.75"),
        PriceRow("Claude Opus 4.5", "claude-opus-4.5", "5.00/0.50/25.00/6.25"),
        PriceRow("Claude Opus 4.6", "claude-opus-4.6", "5.00/0.50/25.00/6.25"),
        PriceRow("Claude Opus 4.7", "claude-opus-4.7", "5.00/0.50/25.00/6.25"),
        PriceRow("Claude Opus 4.8", "claude-opus-4.8", "5.00/0.50/25.00/6.25"),
        PriceRow("Claude Opus 5", "claude-opus-5", "5.00/0.50/25.00/6.25"),
        PriceRow("Claude Sonnet 5", "claude-sonnet-5", "2.00/0.20/10.00/2.50"),
        PriceRow("Claude Opus 4.8 (fast mode) (preview)", "claude-opus-4.8-fast", "10.00/1.00/50.00/12.50"),
        PriceRow("Claude Fable 5", "claude-fable-5", "10.00/1.00/50.00/12.50"),
        PriceRow(
            "Gemini 3.1 Pro (public preview)", "gemini-3.1-pro", "2.00/0.20/12.00/-", above: 200_000,
            "4.00/0.40/18.00/-"),
        PriceRow("Gemini 3.5 Flash", "gemini-3.5-flash", "1.50/0.15/9.00/-"),
        PriceRow("Gemini 3.6 Flash", "gemini-3.6-flash", "0.75/0.075/3.75/-"),
        PriceRow("Gemini 3.7 Flash", "gemini-3.7-flash", "0.75/0.075/3.75/-"),
        PriceRow("Grok 4.5", "grok-4.5", "2.00/0.50/6.00/-", above: 200_000, "4.00/1.00/12.00/-"),
        PriceRow("Grok 4.6", "grok-4.6", "2.00/0.50/6.00/-", above: 200_000, "4.00/1.00/12.00/-"),
        PriceRow("MAI-Code-1-Flash", "mai-code-1-flash", "0.75/0.075/4.50/-"),
        PriceRow("MAI-Code-1.1-Flash", "mai-code-1.1-flash", "0.20/0.02/1.20/-"),
        PriceRow("Raptor mini", "raptor-mini", "0.25/0.025/2.00/-"),
        PriceRow("Kimi K2.7 Code", "kimi-k2.7-code", "0.95/0.19/4.00/-"),
        PriceRow("Kimi K3", "kimi-k3", "3.00/0.30/15.00/-"),
        // The previous edition, for models the catalog keeps that the current table dropped.
        PriceRow("GPT-4.1", "gpt-4.1", "2.00/0.50/8.00/-"),
        PriceRow("Gemini 2.5 Pro", "gemini-2.5-pro", "1.25/0.125/10.00/-"),
    ]

    @Test("the shipped catalog loads with no diagnostics")
    func loadsCleanly() throws {
        #expect(ModelNameTests.shipped.diagnostics == [])
        let catalog = try #require(ModelNameTests.shipped.catalog)
        #expect(catalog.defaultModel == "gpt-4.1")
        #expect(catalog.framingTokens == 16)
        #expect(catalog.models.allSatisfy { $0.framingTokensPerMessage == 16 })
    }

    @Test(
        "every model of GitHub's price table resolves by its display name, and in VS Code's spelling, at its price",
        arguments: table)
    func priced(row: PriceRow) throws {
        let catalog = try #require(ModelNameTests.shipped.catalog)
        let model = try #require(catalog.model(named: row.displayName))
        #expect(model.name == row.model)
        #expect(model.retired == nil)
        #expect(model.pricing == (try row.pricing()))
        #expect(catalog.model(named: row.displayName + " (copilot)")?.name == row.model)
    }

    @Test(
        "every multiplier the catalog had is kept; models new in the price table have none",
        arguments: [
            ("gpt-4.1", "0"), ("gpt-4o", "0"), ("gpt-5-mini", "0"), ("gpt-5", "1"), ("gpt-5-codex", "1"),
            ("gpt-5.5", "7.5"), ("claude-haiku-4.5", "0.33"), ("claude-sonnet-4.5", "1"), ("claude-sonnet-4.6", "1"),
            ("claude-opus-4.5", "3"), ("claude-opus-4.7", "15"), ("gemini-2.5-pro", "1"),
            ("grok-code-fast-1", "0.25"), ("local-replay", "1"), ("gpt-5.4", nil), ("claude-opus-4.8", nil),
            ("claude-sonnet-4", nil), ("kimi-k3", nil),
        ] as [(String, String?)])
    func multipliers(model: String, multiplier: String?) throws {
        let catalog = try #require(ModelNameTests.shipped.catalog)
        let entry = try #require(catalog.entry(named: model))
        #expect(entry.multiplier?.description == multiplier)
    }

    @Test(
        "retired entries name a live replacement in the catalog",
        arguments: [
            ("gpt-4", "gpt-4.1"), ("GPT-4", "gpt-4.1"), ("claude-3.5-sonnet", "claude-haiku-4.5"),
            ("Claude 3.5 Sonnet", "claude-haiku-4.5"), ("claude-3.7-sonnet", "claude-sonnet-4.6"),
            ("claude-opus-4", "claude-opus-4.6"), ("claude-opus-4.1", "claude-opus-4.6"),
            ("gemini-2.0-flash", "gemini-2.5-pro"), ("gemini-3-pro", "gemini-3.1-pro"), ("gpt-5.1", "gpt-5.3-codex"),
            ("o4-mini", "gpt-5-mini"),
        ])
    func retired(name: String, replacement: String) throws {
        let catalog = try #require(ModelNameTests.shipped.catalog)
        let resolution = try #require(catalog.resolve(name))
        #expect(resolution.isRetired)
        #expect(resolution.model.name == replacement)
        #expect(resolution.model.retired == nil && resolution.model.pricing != nil)
    }

    @Test("every price of the catalog survives its catalog text, as the demo's replay catalog writes it")
    func catalogTextRoundTrip() throws {
        let catalog = try #require(ModelNameTests.shipped.catalog)
        let priced = catalog.models.filter { $0.pricing != nil }
        let lines = priced.map { "  \($0.name): { provider: openai, pricing: \($0.pricing?.catalogText ?? "") }" }
        let loaded = try loadWorkspace(
            ["agents/helper.yaml": "description: Helps.\nmodel: gpt-4.1\n"],
            catalog: "default: gpt-4.1\nmodels:\n" + lines.joined(separator: "\n") + "\n")
        #expect(loaded.diagnostics == [])
        #expect(loaded.workspace.catalog?.models.map(\.pricing) == priced.map(\.pricing))
    }
}
