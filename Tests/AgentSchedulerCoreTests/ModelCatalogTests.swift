import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Model catalog")
struct ModelCatalogTests {
    static let helper = ["agents/helper.yaml": "description: Helps.\n"]

    /// A catalog with one good model, then `line` as the fourth line.
    static func catalog(_ label: String, _ line: String, _ expected: ExpectedDiagnostic...) -> FileCase {
        FileCase(
            label, file: "policies/models.yaml",
            "default: gpt-4.1\nmodels:\n  gpt-4.1: { provider: openai, multiplier: 0 }\n\(line)\n", expected)
    }

    static let invalidCatalogs: [FileCase] = [
        catalog(
            "missing provider", "  broken: { multiplier: 1 }",
            ExpectedDiagnostic(
                4, 11, .error, .missingKey, "missing required key 'provider'", hint: "use openai, anthropic or replay")),
        catalog(
            "neither multiplier nor pricing", "  broken: { provider: openai }",
            ExpectedDiagnostic(
                4, 11, .error, .missingKey, "missing required key 'multiplier' or 'pricing'",
                hint:
                    "give the premium requests one request costs ('multiplier: 1'), the US dollars per million tokens ('pricing: { input: 2.50, output: 15.00 }'), or both"
            )),
        catalog(
            "negative price", "  broken: { provider: openai, pricing: { input: -1, output: 2 } }",
            ExpectedDiagnostic(4, 49, .error, .invalidValue, "'input' is -1; amounts cannot be negative")),
        catalog(
            "price with six decimals", "  broken: { provider: openai, pricing: { input: 0.000001, output: 2 } }",
            ExpectedDiagnostic(4, 49, .error, .invalidValue, "'input' value '0.000001' has more than 5 decimals")),
        catalog(
            "dollar price with six decimals",
            "  broken: { provider: openai, pricing: { input: \"$0.123456\", output: 2 } }",
            ExpectedDiagnostic(4, 49, .error, .invalidValue, "'input' value '$0.123456' has more than 5 decimals")),
        catalog(
            "price as text", "  broken: { provider: openai, pricing: { input: cheap, output: 8 } }",
            ExpectedDiagnostic(4, 49, .error, .invalidValue, "'input' value 'cheap' is not a decimal number")),
        catalog(
            "price as a boolean", "  broken: { provider: openai, pricing: { input: 1, output: no } }",
            ExpectedDiagnostic(
                4, 60, .error, .typeMismatch, "'output' must be a price in dollars per million tokens, not a boolean")),
        catalog(
            "pricing that is a number", "  broken: { provider: openai, pricing: 2.50 }",
            ExpectedDiagnostic(4, 40, .error, .typeMismatch, "'pricing' must be a mapping, not a number")),
        catalog(
            "pricing without input", "  broken: { provider: openai, pricing: { output: 2 } }",
            ExpectedDiagnostic(
                4, 40, .error, .missingKey, "missing required key 'input'",
                hint: "give the US dollars a million prompt tokens cost, e.g. 'input: 2.50'")),
        catalog(
            "pricing without output", "  broken: { provider: openai, pricing: { input: 2 } }",
            ExpectedDiagnostic(
                4, 40, .error, .missingKey, "missing required key 'output'",
                hint: "give the US dollars a million output tokens cost, e.g. 'output: 15.00'")),
        catalog(
            "unknown pricing key, with suggestion",
            "  broken: { provider: openai, pricing: { input: 2, output: 8, cahced-input: 0.5 } }",
            ExpectedDiagnostic(
                4, 63, .warning, .unknownKey, "unknown key 'cahced-input' in pricing of model 'broken'",
                hint: "did you mean 'cached-input'?")),
        catalog(
            "long-context without above",
            "  broken: { provider: openai, pricing: { input: 1, output: 2, long-context: { input: 2, output: 4 } } }",
            ExpectedDiagnostic(
                4, 77, .error, .missingKey, "missing required key 'above'",
                hint: "give the prompt tokens past which these prices apply, e.g. 'above: 272000'")),
        catalog(
            "long-context above zero",
            "  broken: { provider: openai, pricing: { input: 1, output: 2, long-context: { above: 0, input: 2, output: 4 } } }",
            ExpectedDiagnostic(4, 86, .error, .invalidValue, "'above' is 0; it must be at least 1")),
        catalog(
            "long-context without output",
            "  broken: { provider: openai, pricing: { input: 1, output: 2, long-context: { above: 10, input: 2 } } }",
            ExpectedDiagnostic(
                4, 77, .error, .missingKey, "missing required key 'output'",
                hint: "give the US dollars a million output tokens cost, e.g. 'output: 15.00'")),
        catalog(
            "long-context both inside pricing and beside it",
            "  broken: { provider: openai, pricing: { input: 1, output: 2, long-context: { above: 9, input: 2, output: 4 } }, long-context: { above: 9, input: 2, output: 4 } }",
            ExpectedDiagnostic(
                4, 128, .error, .duplicate, "'long-context' is written both inside 'pricing' and beside it",
                hint: "keep the one inside 'pricing'")),
        catalog(
            "long-context without pricing",
            "  broken: { provider: openai, multiplier: 1, long-context: { above: 9, input: 2, output: 4 } }",
            ExpectedDiagnostic(
                4, 60, .error, .missingKey, "'long-context' needs 'pricing'",
                hint: "write the standard prices under 'pricing:' and the tier inside it")),
        catalog(
            "negative framing-tokens", "  broken: { provider: openai, multiplier: 1, framing-tokens: -1 }",
            ExpectedDiagnostic(4, 62, .error, .invalidValue, "'framing-tokens' is -1; it must be from 0 to 10000")),
        catalog(
            "retired without replaced-by", "  broken: { retired: 2025-04-30 }",
            ExpectedDiagnostic(
                4, 11, .error, .missingKey, "retired model 'broken' needs 'replaced-by'",
                hint: "name the catalog model that runs in its place, e.g. 'replaced-by: gpt-4.1'")),
        catalog(
            "retired on a day that does not exist", "  broken: { retired: 2025-02-30, replaced-by: gpt-4.1 }",
            ExpectedDiagnostic(
                4, 22, .error, .invalidValue,
                "'retired' is '2025-02-30'; it must be a calendar date written YYYY-MM-DD",
                hint: "e.g. 'retired: 2026-01-15'")),
        catalog(
            "replaced-by a model the catalog lacks", "  broken: { retired: 2025-04-30, replaced-by: gpt-4.2 }",
            ExpectedDiagnostic(
                4, 47, .error, .unknownModel, "'replaced-by' model 'gpt-4.2' is not in the catalog",
                hint: "did you mean 'gpt-4.1'?")),
        catalog(
            "replaced-by a retired model (itself)", "  broken: { retired: 2025-04-30, replaced-by: broken }",
            ExpectedDiagnostic(
                4, 47, .error, .invalidValue, "'replaced-by' names 'broken', which is itself retired",
                hint: "name a model that is not retired")),
        catalog(
            "replaced-by without retired", "  broken: { provider: openai, multiplier: 1, replaced-by: gpt-4.1 }",
            ExpectedDiagnostic(
                4, 59, .error, .missingKey, "'replaced-by' needs 'retired': model 'broken' is not retired",
                hint: "give the date the model was retired, e.g. 'retired: 2026-01-15', or remove it")),
        catalog(
            "unknown provider, with suggestion", "  broken: { provider: opneai, multiplier: 1 }",
            ExpectedDiagnostic(
                4, 23, .error, .invalidValue, "'provider' is 'opneai'; it must be one of openai, anthropic, replay",
                hint: "did you mean 'openai'?")),
        catalog(
            "negative multiplier", "  broken: { provider: openai, multiplier: -1 }",
            ExpectedDiagnostic(4, 43, .error, .invalidValue, "'multiplier' is -1; amounts cannot be negative")),
        catalog(
            "multiplier as text", "  broken: { provider: openai, multiplier: cheap }",
            ExpectedDiagnostic(4, 43, .error, .invalidValue, "'multiplier' value 'cheap' is not a decimal number")),
        catalog(
            "multiplier as a boolean", "  broken: { provider: openai, multiplier: no }",
            ExpectedDiagnostic(
                4, 43, .error, .typeMismatch, "'multiplier' must be a number of premium requests, not a boolean")),
        catalog(
            "replay without transcripts", "  broken: { provider: replay, multiplier: 1 }",
            ExpectedDiagnostic(
                4, 11, .error, .missingKey, "a replay model needs 'transcripts'",
                hint: "name the folder of transcript files, e.g. 'transcripts: examples/transcripts'")),
        catalog(
            "alias naming two models", "  other: { provider: openai, multiplier: 1, aliases: [GPT-4.1] }",
            ExpectedDiagnostic(
                4, 55, .error, .duplicate, "'GPT-4.1' names both 'gpt-4.1' and 'other'",
                hint: "each name and alias may select one model only")),
        catalog(
            "api-key-env holding a key", "  broken: { provider: openai, multiplier: 1, api-key-env: sk-proj-abc123 }",
            ExpectedDiagnostic(
                4, 59, .error, .invalidValue, "'api-key-env' must name an environment variable, not hold a key",
                hint: "write the variable's name, e.g. GITHUB_TOKEN, and export the key in it")),
        catalog(
            "base-url without a scheme", "  broken: { provider: openai, multiplier: 1, base-url: models.github.ai }",
            ExpectedDiagnostic(
                4, 56, .error, .invalidValue, "'base-url' is 'models.github.ai'; it must start with https:// or http://"
            )),
        catalog(
            "timeout that is not a duration", "  broken: { provider: openai, multiplier: 1, timeout: soon }",
            ExpectedDiagnostic(
                4, 55, .error, .invalidValue, "'timeout' value 'soon' is not a positive duration",
                hint: "write it like 90s, 30m or 1h30m")),
        catalog(
            "max-retries out of range", "  broken: { provider: openai, multiplier: 1, max-retries: 101 }",
            ExpectedDiagnostic(4, 59, .error, .invalidValue, "'max-retries' is 101; it must be from 0 to 100")),
        catalog(
            "stream that is not a boolean", "  broken: { provider: openai, multiplier: 1, stream: sometimes }",
            ExpectedDiagnostic(4, 54, .error, .typeMismatch, "'stream' must be true or false, not a string")),
        catalog(
            "max-output-tokens of zero", "  broken: { provider: openai, multiplier: 1, max-output-tokens: 0 }",
            ExpectedDiagnostic(
                4, 65, .error, .invalidValue, "'max-output-tokens' is 0; it must be from 1 to 10000000")),
        catalog(
            "remote base-url without api-key-env",
            "  broken: { provider: openai, multiplier: 1, base-url: \"https://api.example.com/v1\" }",
            ExpectedDiagnostic(
                4, 56, .warning, .missingKey,
                "model 'broken' calls https://api.example.com/v1 without a key: it has no 'api-key-env'",
                hint: "name the variable that holds the key, e.g. 'api-key-env: OPENAI_API_KEY'")),
        catalog(
            "unknown model key, with suggestion", "  broken: { provider: openai, multiplier: 1, rmp: 10 }",
            ExpectedDiagnostic(
                4, 46, .warning, .unknownKey, "unknown key 'rmp' in model 'broken'", hint: "did you mean 'rpm'?")),
        FileCase(
            "default not in the catalog", file: "policies/models.yaml",
            "default: gpt-4.2\nmodels:\n  gpt-4.1: { provider: openai, multiplier: 0 }\n",
            [
                ExpectedDiagnostic(
                    1, 10, .error, .unknownModel, "default model 'gpt-4.2' is not in the catalog",
                    hint: "did you mean 'gpt-4.1'?")
            ]),
        FileCase(
            "missing default", file: "policies/models.yaml",
            "models:\n  gpt-4.1: { provider: openai, multiplier: 0 }\n",
            [
                ExpectedDiagnostic(
                    1, 1, .error, .missingKey, "missing required key 'default'",
                    hint: "name the model that 'inherit' and profiles without 'model' use")
            ]),
        FileCase(
            "unknown top-level key", file: "policies/models.yaml",
            "default: gpt-4.1\nmodel:\n  x: 1\nmodels:\n  gpt-4.1: { provider: openai, multiplier: 0 }\n",
            [
                ExpectedDiagnostic(
                    2, 1, .warning, .unknownKey, "unknown key 'model' in model catalog", hint: "did you mean 'models'?")
            ]),
    ]

    @Test("an invalid catalog gives exactly the expected diagnostic", arguments: invalidCatalogs)
    func invalid(catalog: FileCase) throws {
        let loaded = try loadWorkspace(Self.helper, catalog: catalog.text)
        #expect(loaded.diagnostics == catalog.expected.map { $0.diagnostic(in: loaded.path(catalog.file)) })
        #expect(loaded.workspace.catalog?.model(named: "gpt-4.1")?.multiplier == .zero)
    }

    @Test("a workspace without policies/models.yaml is an error at that path; model names are then not checked")
    func missingCatalog() throws {
        let loaded = try loadWorkspace(["agents/helper.yaml": "description: Helps.\nmodel: anything\n"], catalog: nil)
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 1, .error, .unreadableFile,
                    "no model catalog: \(loaded.path("policies/models.yaml")) is missing",
                    hint: "list the models agents may use there"
                ).diagnostic(in: loaded.path("policies/models.yaml"))
            ])
        #expect(loaded.workspace.catalog == nil)
        #expect(loaded.profile("helper")?.models == ["anything"])
    }

    @Test("a catalog with an empty model list says so")
    func emptyModels() throws {
        let loaded = try loadWorkspace(Self.helper, catalog: "default: gpt-4.1\nmodels: {}\n")
        let path = loaded.path("policies/models.yaml")
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 1, .error, .unknownModel, "model 'inherit' is not in the model catalog",
                    hint: "add it to policies/models.yaml or use one of its names or aliases"
                )
                .diagnostic(in: loaded.path("agents/helper.yaml")),
                ExpectedDiagnostic(2, 9, .error, .invalidValue, "the catalog lists no models").diagnostic(in: path),
            ])
    }

    @Test("every optional key of a model is read")
    func fullModel() throws {
        let catalog = """
            default: GPT-4.1
            models:
              gpt-4.1:
                provider: openai
                id: openai/gpt-4.1
                base-url: "https://models.github.ai/inference"
                api-key-env: GITHUB_TOKEN
                multiplier: 0
                aliases: ["GPT-4.1", gpt41]
                rpm: 15
                tpm: 150_000
                timeout: 2m
                max-retries: 3
                max-connections: 4
                stream: false
                max-output-tokens: 1024
              local-replay: { provider: replay, transcripts: examples/transcripts, multiplier: 1 }

            """
        let loaded = try loadWorkspace(Self.helper, catalog: catalog)
        #expect(loaded.diagnostics == [])
        let models = try #require(loaded.workspace.catalog)
        #expect(models.defaultModel == "gpt-4.1")
        #expect(
            models.models == [
                ModelDefinition(
                    name: "gpt-4.1", provider: .openai, multiplier: .zero, providerModel: "openai/gpt-4.1",
                    baseURL: "https://models.github.ai/inference", apiKeyEnvironment: "GITHUB_TOKEN",
                    aliases: ["GPT-4.1", "gpt41"], requestsPerMinute: 15, tokensPerMinute: 150_000,
                    timeout: HumanDuration(.seconds(120)), maxRetries: 3, maxConnections: 4, stream: false,
                    maxOutputTokens: 1024),
                ModelDefinition(
                    name: "local-replay", provider: .replay, multiplier: PremiumRequests(1),
                    transcripts: "examples/transcripts"),
            ])
        #expect(models.models[0].timeout?.description == "2m")
        #expect(!models.models[0].streams && models.models[0].outputTokenCap == 1024)
        #expect(models.models[1].streams && models.models[1].outputTokenCap == ModelDefinition.defaultMaxOutputTokens)
        #expect(models.allNames == ["gpt-4.1", "GPT-4.1", "gpt41", "local-replay"])
    }

    @Test(
        "a local server without a key stays quiet",
        arguments: ["http://127.0.0.1:8080/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1"])
    func loopbackWithoutKey(url: String) throws {
        let catalog = "default: local\nmodels:\n  local: { provider: openai, multiplier: 0, base-url: \"\(url)\" }\n"
        let loaded = try loadWorkspace(Self.helper, catalog: catalog)
        #expect(loaded.diagnostics == [])
    }

    @Test("`<<` merge keys share a provider's settings; explicit keys win")
    func mergeKeys() throws {
        let catalog = """
            default: gpt-4.1
            models:
              gpt-4.1: &github { provider: openai, base-url: "https://models.github.ai/inference", api-key-env: GITHUB_TOKEN, multiplier: 0 }
              gpt-5.5:
                <<: *github
                multiplier: 7.5

            """
        let loaded = try loadWorkspace(Self.helper, catalog: catalog)
        #expect(loaded.diagnostics == [])
        #expect(
            loaded.workspace.catalog?.model(named: "gpt-5.5")
                == ModelDefinition(
                    name: "gpt-5.5", provider: .openai, multiplier: PremiumRequests(thousandths: 7500),
                    baseURL: "https://models.github.ai/inference", apiKeyEnvironment: "GITHUB_TOKEN"))
    }

    @Test(
        "names and aliases select models without regard to case; inherit is the default",
        arguments: [
            ("gpt-4.1", "gpt-4.1"), ("GPT-4.1", "gpt-4.1"), ("inherit", "claude-sonnet-4.5"),
            ("INHERIT", "claude-sonnet-4.5"), ("sonnet", "claude-sonnet-4.5"), ("Sonnet", "claude-sonnet-4.5"),
            ("gpt-4", nil), ("", nil),
        ] as [(String, String?)])
    func modelNamed(name: String, model: String?) {
        let catalog = ModelCatalog(
            defaultModel: "claude-sonnet-4.5",
            models: [
                ModelDefinition(name: "gpt-4.1", provider: .openai, multiplier: .zero, aliases: ["GPT-4.1"]),
                ModelDefinition(
                    name: "claude-sonnet-4.5", provider: .anthropic, multiplier: PremiumRequests(1),
                    aliases: ["sonnet"]),
            ])
        #expect(catalog.model(named: name)?.name == model)
    }

    @Test("a model's JSON uses the file's keys and exact multipliers, and decodes back")
    func json() throws {
        let model = ModelDefinition(
            name: "claude-haiku-4.5", provider: .anthropic, multiplier: PremiumRequests(thousandths: 330),
            apiKeyEnvironment: "ANTHROPIC_API_KEY", aliases: ["haiku"], timeout: HumanDuration(.seconds(90)))
        let json = try StructuredOutput.json(model)
        #expect(
            json == """
                {
                  "aliases" : [
                    "haiku"
                  ],
                  "api-key-env" : "ANTHROPIC_API_KEY",
                  "multiplier" : 0.33,
                  "name" : "claude-haiku-4.5",
                  "provider" : "anthropic",
                  "timeout" : "1m30s"
                }
                """)
        #expect(try JSONDecoder().decode(ModelDefinition.self, from: Data(json.utf8)) == model)
        #expect(ModelProvider.openai.defaultBaseURL == "https://api.openai.com/v1")
        #expect(ModelProvider.replay.defaultBaseURL == nil)
    }
}
