import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Model names as agent files write them, and retired models")
struct ModelNameTests {
    /// The shipped catalog, `policies/models.yaml`, and what reading it reported.
    static let shipped: (catalog: ModelCatalog?, diagnostics: [Diagnostic]) = {
        let path = Fixtures.packageRoot + "/policies/models.yaml"
        let decoder = DocumentDecoder(path: path)
        let catalog = ModelCatalog.read(path: path, limits: .default, decoder: decoder)
        return (catalog, decoder.diagnostics)
    }()

    @Test(
        "names resolve as written, without a VS Code vendor suffix, and as Anthropic API ids",
        arguments: [
            ("gpt-4.1", "gpt-4.1"), ("GPT-4.1", "gpt-4.1"), ("  GPT-4.1 ", "gpt-4.1"), ("inherit", "gpt-4.1"),
            ("GPT-4.1 (copilot)", "gpt-4.1"), ("GPT-5 mini (copilot)", "gpt-5-mini"),
            ("Claude Sonnet 4.5 (copilot)", "claude-sonnet-4.5"), ("claude sonnet 4.5 (COPILOT)", "claude-sonnet-4.5"),
            ("Claude Sonnet 4.5 (anthropic)", "claude-sonnet-4.5"),
            ("claude-sonnet-4.5 (copilot)", "claude-sonnet-4.5"),
            ("claude-sonnet-4-5", "claude-sonnet-4.5"), ("claude-sonnet-4-5-20250929", "claude-sonnet-4.5"),
            ("Claude-Sonnet-4-5-20250929", "claude-sonnet-4.5"), ("claude-sonnet-4-5@20250929", "claude-sonnet-4.5"),
            ("claude-sonnet-4-6", "claude-sonnet-4.6"), ("claude-opus-4-8", "claude-opus-4.8"),
            ("claude-haiku-4-5-20251001", "claude-haiku-4.5"), ("claude-sonnet-4-20250514", "claude-sonnet-4"),
            ("claude-sonnet-4-0", "claude-sonnet-4"), ("claude-sonnet-4-5 (copilot)", "claude-sonnet-4.5"),
            ("sonnet", "claude-sonnet-4.5"), ("Opus", "claude-opus-4.7"), ("HAIKU", "claude-haiku-4.5"),
            ("Claude Opus 4.8 (fast mode) (preview)", "claude-opus-4.8-fast"),
            ("Claude Opus 4.8 (fast mode) (preview) (copilot)", "claude-opus-4.8-fast"),
            ("Claude Opus 4.8 (fast mode)", "claude-opus-4.8-fast"), ("Claude Opus 4.8 (preview)", "claude-opus-4.8"),
            ("Gemini 3.1 Pro (public preview)", "gemini-3.1-pro"), ("Gemini 3.1 Pro (copilot)", "gemini-3.1-pro"),
            ("gpt-4", "gpt-4.1"), ("GPT-4 (copilot)", "gpt-4.1"), ("claude-3-5-sonnet-20241022", "claude-haiku-4.5"),
            ("Claude Sonnet 3.5", "claude-haiku-4.5"), ("claude-opus-4-1-20250805", "claude-opus-4.6"),
            ("Claude Sonnet 4.5 (fast mode)", nil), ("claude-sonnet-4-7", nil), ("gpt-4.2", nil),
            ("gpt-4.1 ()", nil), ("(copilot)", nil), ("", nil), ("claude-sonnet-4-5-2025092", nil),
        ] as [(String, String?)])
    func resolves(name: String, model: String?) throws {
        let catalog = try #require(Self.shipped.catalog)
        #expect(catalog.model(named: name)?.name == model)
    }

    @Test(
        "spellings are tried as written first, then without a one-word vendor suffix, then as Anthropic ids",
        arguments: [
            ("GPT-4.1 (copilot)", ["gpt-4.1 (copilot)", "gpt-4.1"]),
            ("Claude Opus 4.8 (fast mode)", ["claude opus 4.8 (fast mode)"]),
            (
                "claude-sonnet-4-5-20250929 (copilot)",
                [
                    "claude-sonnet-4-5-20250929 (copilot)", "claude-sonnet-4-5-20250929", "claude-sonnet-4.5",
                ]
            ),
            ("claude-3-5-sonnet@20240620", ["claude-3-5-sonnet@20240620", "claude-3.5-sonnet"]),
            ("claude-sonnet-4.5", ["claude-sonnet-4.5"]), ("gpt-4-1", ["gpt-4-1"]),
        ] as [(String, [String])])
    func spellings(name: String, spellings: [String]) {
        #expect(ModelCatalog.spellings(of: name) == spellings)
    }

    @Test("a retired name resolves to its entry and runs on the replacement, at the replacement's price")
    func retiredResolution() throws {
        let catalog = try #require(Self.shipped.catalog)
        let resolution = try #require(catalog.resolve("GPT-4"))
        #expect(resolution.entry.name == "gpt-4")
        #expect(resolution.model.name == "gpt-4.1")
        #expect(resolution.isRetired && resolution.retiredEntry?.retired == "2025-04-30")
        #expect(resolution.retiredEntry?.replacedBy == "gpt-4.1")
        #expect(catalog.entry(named: "gpt-4")?.name == "gpt-4")
        #expect(catalog.model(named: "gpt-4") == catalog.model(named: "gpt-4.1"))

        let sonnet35 = try #require(catalog.resolve("claude-3.5-sonnet"))
        let haiku = try #require(catalog.model(named: "haiku"))
        #expect(sonnet35.model == haiku)
        #expect(sonnet35.model.pricing?.standard.input == TokenPrice(nanocreditsPerToken: 100_000))
        #expect(sonnet35.model.multiplier == PremiumRequests(thousandths: 330))
        #expect(sonnet35.entry.pricing == nil && sonnet35.entry.multiplier == nil)
        #expect(sonnet35.entry.provider == .anthropic)
        #expect(catalog.resolve("gpt-4.1")?.isRetired == false)
    }

    @Test("replacement chains are followed a few hops at most; loops resolve to nothing")
    func replacementChains() {
        func retired(_ name: String, _ replacement: String) -> ModelDefinition {
            ModelDefinition(
                name: name, provider: .openai, multiplier: nil, retired: "2025-01-01", replacedBy: replacement)
        }
        let live = ModelDefinition(name: "live", provider: .openai, multiplier: .zero)
        let chain = ModelCatalog(defaultModel: "live", models: [live, retired("a", "b"), retired("b", "live")])
        #expect(chain.resolve("a")?.model.name == "live")
        #expect(chain.resolve("a")?.entry.name == "a")
        let loop = ModelCatalog(defaultModel: "live", models: [live, retired("a", "b"), retired("b", "a")])
        #expect(loop.resolve("a") == nil)
        let names = ["m0", "m1", "m2", "m3", "m4", "m5"]
        let long = ModelCatalog(
            defaultModel: "live",
            models: [live] + zip(names, names.dropFirst() + ["live"]).map { retired($0, $1) })
        #expect(long.resolve("m2")?.model.name == "live")
        #expect(long.resolve("m0") == nil)
        #expect(ModelCatalog(defaultModel: "live", models: [live, retired("a", "gone")]).resolve("a") == nil)
    }

    static let retiredCatalog =
        Fixtures.catalog + "  gpt-4: { retired: 2025-04-30, replaced-by: gpt-4.1, aliases: [\"GPT-4\"] }\n"
    static let retiredHint = "write 'gpt-4.1' (or another current model) instead"

    @Test("a profile naming a retired model warns, once, runs on the replacement, and fails under --strict")
    func retiredInProfile() throws {
        let loaded = try loadWorkspace(
            [
                "agents/old.yaml": "description: Old.\nmodel: GPT-4\n",
                "agents/child.yaml": "description: Child.\nextends: old\n",
            ], catalog: Self.retiredCatalog)
        let warning = ExpectedDiagnostic(
            2, 8, .warning, .retiredModel, "model 'GPT-4' was retired on 2025-04-30; sessions run on gpt-4.1",
            hint: Self.retiredHint
        ).diagnostic(in: loaded.path("agents/old.yaml"))
        #expect(loaded.diagnostics == [warning])
        #expect(loaded.profile("old")?.models == ["gpt-4.1"])
        #expect(loaded.profile("child")?.models == ["gpt-4.1"])
        #expect(!WorkspaceValidation(workspace: loaded.workspace).failed)
        let strict = WorkspaceValidation(workspace: loaded.workspace, strict: true)
        #expect(strict.failed)
        #expect(strict.diagnostics == [warning.escalated()])
    }

    @Test("a policy's retired fallback model warns and falls back on the replacement")
    func retiredInPolicy() throws {
        let loaded = try loadWorkspace(
            [
                "agents/helper.yaml": "description: Helps.\n",
                "policies/acme.yaml": "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: gpt-4\n",
            ], catalog: Self.retiredCatalog)
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    4, 19, .warning, .retiredModel, "model 'gpt-4' was retired on 2025-04-30; sessions run on gpt-4.1",
                    hint: Self.retiredHint
                ).diagnostic(in: loaded.path("policies/acme.yaml"))
            ])
        #expect(loaded.workspace.policy(named: "acme")?.budget.fallbackModel == "gpt-4.1")
    }

    @Test("a policy's multiplier for a retired name warns and is not applied to the replacement")
    func retiredMultiplier() throws {
        let loaded = try loadWorkspace(
            [
                "agents/helper.yaml": "description: Helps.\n",
                "policies/acme.yaml": "org: acme\nmodels:\n  multipliers:\n    gpt-4: 27\n",
            ], catalog: Self.retiredCatalog)
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    4, 5, .warning, .retiredModel, "model 'gpt-4' was retired on 2025-04-30; sessions run on gpt-4.1",
                    hint: Self.retiredHint
                ).diagnostic(in: loaded.path("policies/acme.yaml"))
            ])
        #expect(loaded.workspace.policy(named: "acme")?.models.multipliers == [:])
    }

    @Test("a retired catalog default warns and defaults to the replacement")
    func retiredDefault() throws {
        let loaded = try loadWorkspace(
            ["agents/helper.yaml": "description: Helps.\n"],
            catalog: """
                default: gpt-4
                models:
                  gpt-4.1: { provider: openai, multiplier: 0 }
                  gpt-4: { retired: 2025-04-30, replaced-by: gpt-4.1 }

                """)
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 10, .warning, .retiredModel, "model 'gpt-4' was retired on 2025-04-30; sessions run on gpt-4.1",
                    hint: Self.retiredHint
                ).diagnostic(in: loaded.path("policies/models.yaml"))
            ])
        #expect(loaded.workspace.catalog?.defaultModel == "gpt-4.1")
        #expect(loaded.profile("helper")?.models == ["gpt-4.1"])
    }

    @Test("a name that resolves to nothing is still an error")
    func unknownStaysAnError() throws {
        let loaded = try loadWorkspace(
            ["agents/p.yaml": "description: Helps.\nmodel: Claude Sonnet 9 (copilot)\n"], catalog: Self.retiredCatalog)
        #expect(loaded.diagnostics.map(\.severity) == [.error])
        #expect(loaded.diagnostics.map(\.code) == [.unknownModel])
    }
}
