import Testing

@testable import AgentSchedulerCore

@Suite("Structured output")
struct StructuredOutputTests {
    @Test("YAML output reads back as the same strings, quoting only where it must")
    func yamlStrings() throws {
        let strings = [
            "yes", "1", "null", "", " x", "a: b", "- x", "#c", "x\ny", "0.33", "~", "on", "'q'", "plain text",
        ]
        let yaml = try StructuredOutput.yaml(strings)
        #expect(yaml.contains("\n- plain text\n"))
        var composer = YAMLComposer(path: "out.yaml")
        guard case .sequence(let items)? = try composer.compose(yaml)?.content else {
            Issue.record("not a list:\n\(yaml)")
            return
        }
        #expect(items.map { $0.scalar?.string } == strings)
    }

    @Test("JSON output sorts keys and keeps amounts exact; YAML output has the same numbers")
    func catalog() throws {
        let catalog = ModelCatalog(
            defaultModel: "claude-haiku-4.5",
            models: [
                ModelDefinition(
                    name: "claude-haiku-4.5", provider: .anthropic, multiplier: PremiumRequests(thousandths: 330),
                    baseURL: "https://api.anthropic.com")
            ])
        #expect(
            try StructuredOutput.json(catalog) == """
                {
                  "default" : "claude-haiku-4.5",
                  "models" : [
                    {
                      "base-url" : "https://api.anthropic.com",
                      "multiplier" : 0.33,
                      "name" : "claude-haiku-4.5",
                      "provider" : "anthropic"
                    }
                  ]
                }
                """)
        #expect(
            try StructuredOutput.yaml(catalog) == """
                default: claude-haiku-4.5
                models:
                - base-url: https://api.anthropic.com
                  multiplier: 0.33
                  name: claude-haiku-4.5
                  provider: anthropic

                """)
    }

    @Test("empty lists and mappings are written in flow style")
    func empties() throws {
        #expect(try StructuredOutput.yaml(["a": [String]()]) == "a: []\n")
        #expect(try StructuredOutput.yaml([String: [String: String]]()) == "{}\n")
    }

    @Test("a team renders as a table with one row per profile")
    func teamTable() {
        let team = Team(profiles: [
            AgentProfile(
                handle: "reviewer", name: "Code Reviewer", description: "", prompt: "",
                models: ["claude-sonnet-4.5", "gpt-4.1"], tools: ToolSet(builtins: [.search, .read]),
                permission: .readOnly, source: "agents/reviewer.md"),
            AgentProfile(
                handle: "a", name: "a", description: "", prompt: "", models: ["gpt-4.1"], source: "agents/a.yaml"),
            AgentProfile(
                handle: "b", name: "b", description: "", prompt: "", models: [], tools: .none, source: "agents/b.md"),
        ])
        #expect(
            team.table().render() == """
                HANDLE    NAME           MODEL                      TOOLS        PERMISSION  SOURCE
                a         a              gpt-4.1                    all          write       agents/a.yaml
                b         b                                         none         write       agents/b.md
                reviewer  Code Reviewer  claude-sonnet-4.5,gpt-4.1  read,search  read-only   agents/reviewer.md
                """)
    }
}
