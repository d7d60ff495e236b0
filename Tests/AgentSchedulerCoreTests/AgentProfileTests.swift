import Testing

@testable import AgentSchedulerCore

@Suite("Agent profiles")
struct AgentProfileTests {
    static let longPrompt = String(repeating: "x", count: 30_001)
    static let describeHint = "say in one line what the agent is for; routing and people read it"
    static let toolHint = "use read, search, edit, execute, agent, todo or web"
    static let modelHint = "add it to policies/models.yaml or use one of its names or aliases"

    static func yaml(_ label: String, _ text: String, _ expected: ExpectedDiagnostic...) -> FileCase {
        FileCase(label, file: "agents/p.yaml", text, expected)
    }

    static func markdown(
        _ label: String, file: String = "agents/p.md", _ text: String, _ expected: ExpectedDiagnostic...
    )
        -> FileCase
    {
        FileCase(label, file: file, text, expected)
    }

    static let invalidProfiles: [FileCase] = [
        yaml(
            "unknown key, with did-you-mean", "description: Helps.\npermision: read-only\n",
            ExpectedDiagnostic(
                2, 1, .warning, .unknownKey, "unknown key 'permision' in agent profile",
                hint: "did you mean 'permissions'?")),
        yaml(
            "unknown key, nothing close", "description: Helps.\nflavour: vanilla\n",
            ExpectedDiagnostic(2, 1, .warning, .unknownKey, "unknown key 'flavour' in agent profile")),
        yaml(
            "unknown tool in a list, with did-you-mean", "description: Helps.\ntools: [read, Bsh]\n",
            ExpectedDiagnostic(
                2, 15, .warning, .unknownTool, "unknown tool 'Bsh' in 'tools'", hint: "did you mean 'bash'?")),
        yaml(
            "unknown tool, nothing close", "description: Helps.\ntools: [frobnicate]\n",
            ExpectedDiagnostic(2, 9, .warning, .unknownTool, "unknown tool 'frobnicate' in 'tools'", hint: toolHint)),
        yaml(
            "unknown tool in a comma string, at its own column", "description: Helps.\ntools: Read, Bsh\n",
            ExpectedDiagnostic(
                2, 14, .warning, .unknownTool, "unknown tool 'Bsh' in 'tools'", hint: "did you mean 'bash'?")),
        yaml(
            "unknown tool in a quoted comma string, at its own column", "description: Helps.\ntools: \"Read, Bsh\"\n",
            ExpectedDiagnostic(
                2, 15, .warning, .unknownTool, "unknown tool 'Bsh' in 'tools'", hint: "did you mean 'bash'?")),
        yaml(
            "unknown tool in disallowedTools", "description: Helps.\ndisallowedTools: [Bsh]\n",
            ExpectedDiagnostic(
                2, 19, .warning, .unknownTool, "unknown tool 'Bsh' in 'disallowedTools'",
                hint: "did you mean 'bash'?")),
        yaml(
            "unknown model, with suggestion", "description: Helps.\nmodel: sonet\n",
            ExpectedDiagnostic(
                2, 8, .error, .unknownModel, "model 'sonet' is not in the model catalog",
                hint: "did you mean 'sonnet'?")),
        yaml(
            "unknown fallback model in a list", "description: Helps.\nmodel: [opus, llama-3]\n",
            ExpectedDiagnostic(
                2, 15, .error, .unknownModel, "model 'llama-3' is not in the model catalog", hint: modelHint)),
        yaml(
            "tools as a mapping", "description: Helps.\ntools: {read: true}\n",
            ExpectedDiagnostic(
                2, 8, .error, .typeMismatch, "'tools' must be a list or a comma-separated string, not a mapping")),
        yaml(
            "description as a list", "description: [a, b]\n",
            ExpectedDiagnostic(1, 14, .error, .typeMismatch, "'description' must be a string, not a list")),
        yaml(
            "model as a mapping", "description: Helps.\nmodel: {name: x}\n",
            ExpectedDiagnostic(2, 8, .error, .typeMismatch, "'model' must be a string, not a mapping")),
        yaml(
            "limits.max-turns as text", "description: Helps.\nlimits:\n  max-turns: many\n",
            ExpectedDiagnostic(3, 14, .error, .typeMismatch, "'max-turns' must be a whole number, not a string")),
        yaml(
            "limits.max-output-tokens zero", "description: Helps.\nlimits:\n  max-output-tokens: 0\n",
            ExpectedDiagnostic(
                3, 22, .error, .invalidValue, "'max-output-tokens' is 0; it must be from 1 to 10000000")),
        yaml(
            "limits.max-tool-calls zero", "description: Helps.\nlimits:\n  max-tool-calls: 0\n",
            ExpectedDiagnostic(3, 19, .error, .invalidValue, "'max-tool-calls' is 0; it must be at least 1")),
        yaml(
            "negative max-premium-requests", "description: Helps.\nlimits:\n  max-premium-requests: -1\n",
            ExpectedDiagnostic(
                3, 25, .error, .invalidValue, "'max-premium-requests' is -1; amounts cannot be negative")),
        yaml(
            "max-premium-requests with four decimals", "description: Helps.\nlimits: {max-premium-requests: 0.3333}\n",
            ExpectedDiagnostic(
                2, 32, .error, .invalidValue,
                "'max-premium-requests' value '0.3333' has more than 3 decimals")),
        yaml(
            "max-runtime forever", "description: Helps.\nlimits:\n  max-runtime: forever\n",
            ExpectedDiagnostic(
                3, 16, .error, .invalidValue, "'max-runtime' value 'forever' is not a positive duration",
                hint: "write it like 90s, 30m or 1h30m")),
        yaml(
            "unknown key in limits", "description: Helps.\nlimits: {max-turn: 3}\n",
            ExpectedDiagnostic(
                2, 10, .warning, .unknownKey, "unknown key 'max-turn' in limits", hint: "did you mean 'max-turns'?")),
        yaml(
            "permissions admin", "description: Helps.\npermissions: admin\n",
            ExpectedDiagnostic(
                2, 14, .error, .invalidValue, "'permissions' is 'admin'; it must be one of read-only, write")),
        yaml(
            "permissions in the wrong case", "description: Helps.\npermissions: Read-Only\n",
            ExpectedDiagnostic(
                2, 14, .error, .invalidValue, "'permissions' is 'Read-Only'; it must be one of read-only, write",
                hint: "did you mean 'read-only'?")),
        yaml(
            "missing description", "name: helper\nmodel: sonnet\n",
            ExpectedDiagnostic(1, 1, .error, .missingKey, "missing required key 'description'", hint: describeHint)),
        yaml(
            "empty name", "name: \"\"\ndescription: Helps.\n",
            ExpectedDiagnostic(1, 7, .error, .invalidValue, "'name' is empty")),
        yaml(
            "prompt over 30,000 characters", "description: Helps.\nprompt: \(longPrompt)\n",
            ExpectedDiagnostic(
                2, 9, .warning, .invalidValue,
                "prompt has 30001 characters, more than the 30000 GitHub accepts for a custom agent",
                hint: "move reference material into the repository and point the agent at it")),
        markdown(
            "Markdown body over 30,000 characters", "---\ndescription: Helps.\n---\n\(longPrompt)\n",
            ExpectedDiagnostic(
                4, 1, .warning, .invalidValue,
                "prompt has 30001 characters, more than the 30000 GitHub accepts for a custom agent",
                hint: "move reference material into the repository and point the agent at it")),
        yaml(
            "empty model list", "description: Helps.\nmodel: []\n",
            ExpectedDiagnostic(
                2, 8, .error, .invalidValue, "'model' is an empty list", hint: "name a model or remove the key")),
        markdown(
            "prompt inside a Markdown profile", "---\ndescription: Helps.\nprompt: hi\n---\nBody\n",
            ExpectedDiagnostic(
                3, 9, .warning, .unknownKey, "'prompt' is ignored in a Markdown profile",
                hint: "write the prompt as the Markdown body below the front matter")),
        markdown(
            "Claude's maxTurns zero", file: ".claude/agents/p.md", "---\ndescription: Helps.\nmaxTurns: 0\n---\n",
            ExpectedDiagnostic(3, 11, .error, .invalidValue, "'maxTurns' is 0; it must be at least 1")),
        yaml(
            "mcp-servers as a string", "description: Helps.\nmcp-servers: github\n",
            ExpectedDiagnostic(
                2, 14, .error, .typeMismatch, "'mcp-servers' must be a mapping of server names, not a string")),
        yaml(
            "unknown key in routing", "description: Helps.\nrouting:\n  labels: bug\n  priorty: 3\n",
            ExpectedDiagnostic(
                4, 3, .warning, .unknownKey, "unknown key 'priorty' in routing", hint: "did you mean 'priority'?")),
        yaml(
            "extends as a mapping", "description: Helps.\nextends: {a: b}\n",
            ExpectedDiagnostic(
                2, 10, .error, .typeMismatch, "'extends' must be a list or a comma-separated string, not a mapping")),
        yaml(
            "a list instead of a mapping", "- description: Helps.\n",
            ExpectedDiagnostic(1, 1, .error, .typeMismatch, "'profile' must be a mapping, not a list")),
        yaml(
            "a key that is a list", "description: Helps.\n[a]: b\n",
            ExpectedDiagnostic(2, 1, .error, .typeMismatch, "a key must be a plain string, not a list")),
    ]

    @Test("an invalid profile gives exactly the expected diagnostic", arguments: invalidProfiles)
    func invalid(profile: FileCase) throws {
        let loaded = try loadWorkspace([profile.file: profile.text])
        #expect(loaded.diagnostics == profile.expected.map { $0.diagnostic(in: loaded.path(profile.file)) })
    }

    @Test("a Markdown body over 30,000 characters is a warning: the profile loads; --strict makes it an error")
    func longMarkdownBody() throws {
        let loaded = try loadWorkspace(
            ["agents/long.agent.md": "---\ndescription: Helps.\n---\n\(Self.longPrompt)\n"])
        #expect(loaded.diagnostics.map(\.severity) == [.warning])
        #expect(loaded.profile("long")?.prompt.count == 30_001)
        #expect(!WorkspaceValidation(workspace: loaded.workspace).failed)
        #expect(WorkspaceValidation(workspace: loaded.workspace, strict: true).errorCount == 1)
    }

    @Test("an invalid value is reported once: a present but wrong 'description' is not also 'missing'")
    func invalidDescriptionReportedOnce() throws {
        let loaded = try loadWorkspace(["agents/p.yaml": "description: \"  \"\n"])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(1, 14, .error, .invalidValue, "'description' is empty")
                    .diagnostic(in: loaded.path("agents/p.yaml"))
            ])
    }

    @Test("a Copilot custom agent loads unchanged, with canonical tools and catalog model")
    func copilotProfile() throws {
        let text = """
            ---
            name: C# Expert
            description: 'Helps with .NET and C# work.'
            tools: ['codebase', 'runCommands', 'edit/editFiles', 'execute/runInTerminal', 'github/*']
            model: GPT-4.1
            target: github-copilot
            handoffs:
              - label: Review
                agent: reviewer
                send: false
            mcp-servers:
              semgrep:
                type: local
                command: semgrep
                args: [mcp]
            metadata:
              owner: platform
              version: 2
            ---
            # C# Expert

            You write C#.

            """
        let loaded = try loadWorkspace([".github/agents/csharp-expert.agent.md": text])
        #expect(loaded.diagnostics == [])
        let profile = try #require(loaded.profile("csharp-expert"))
        #expect(
            profile
                == AgentProfile(
                    handle: "csharp-expert",
                    name: "C# Expert",
                    description: "Helps with .NET and C# work.",
                    prompt: "# C# Expert\n\nYou write C#.",
                    models: ["gpt-4.1"],
                    tools: ToolSet(
                        builtins: [.search, .execute, .edit], mcp: [MCPToolReference(server: "github", tool: nil)]),
                    mcpServers: [
                        MCPServerDeclaration(
                            name: "semgrep",
                            transport: .stdio(command: "semgrep", arguments: ["mcp"], environment: [:]),
                            location: Location(
                                path: loaded.path(".github/agents/csharp-expert.agent.md"), line: 12, column: 3))
                    ],
                    source: loaded.path(".github/agents/csharp-expert.agent.md"),
                    attributes: .object([
                        ("target", .string("github-copilot")),
                        (
                            "handoffs",
                            .array([
                                .object([
                                    ("label", .string("Review")),
                                    ("agent", .string("reviewer")),
                                    ("send", .bool(false)),
                                ])
                            ])
                        ),
                        (
                            "metadata",
                            .object([
                                ("owner", .string("platform")),
                                ("version", .number("2")),
                            ])
                        ),
                    ])))
        #expect(loaded.workspace.team.profile(named: "C# Expert")?.handle == "csharp-expert")
    }

    @Test("a Claude Code subagent loads unchanged, with canonical tools and catalog model")
    func claudeProfile() throws {
        let text = """
            ---
            name: fixer
            description: Fixes GitHub issues.
            tools: Read, Grep, Glob, Bash, mcp__github__get_issue
            disallowedTools: WebFetch
            model: opus
            color: green
            permissionMode: acceptEdits
            maxTurns: 12
            ---
            Fix it.
            """
        let loaded = try loadWorkspace([".claude/agents/fixer.md": text])
        #expect(loaded.diagnostics == [])
        let profile = try #require(loaded.profile("fixer"))
        #expect(
            profile
                == AgentProfile(
                    handle: "fixer",
                    name: "fixer",
                    description: "Fixes GitHub issues.",
                    prompt: "Fix it.",
                    models: ["claude-opus-4.7"],
                    tools: ToolSet(
                        builtins: [.read, .search, .execute],
                        mcp: [MCPToolReference(server: "github", tool: "get_issue")]),
                    limits: AgentLimits(maxTurns: 12),
                    source: loaded.path(".claude/agents/fixer.md"),
                    attributes: .object([
                        ("color", .string("green")),
                        ("permissionMode", .string("acceptEdits")),
                    ])))
    }

    @Test("a YAML profile reads every interpreted key")
    func yamlProfile() throws {
        let text = """
            name: Planner
            description: >-
              Plans work.
            model: [sonnet, GPT-4.1]
            tools: [read, search, todo]
            permissions: read-only
            execute: { network: allow }
            limits:
              max-turns: 30
              max-tool-calls: 80
              max-runtime: 1h30m
              max-premium-requests: 2.5
              max-output-tokens: 2000
            routing:
              labels: [planning, epic]
              priority: 40
            prompt: |
              You plan.

            """
        let loaded = try loadWorkspace(["agents/planner.yaml": text])
        #expect(loaded.diagnostics == [])
        let profile = try #require(loaded.profile("planner"))
        #expect(
            profile
                == AgentProfile(
                    handle: "planner",
                    name: "Planner",
                    description: "Plans work.",
                    prompt: "You plan.\n",
                    models: ["claude-sonnet-4.5", "gpt-4.1"],
                    tools: ToolSet(builtins: [.read, .search, .todo]),
                    limits: AgentLimits(
                        maxTurns: 30, maxToolCalls: 80, maxRuntime: HumanDuration(.seconds(5400)),
                        maxPremiumRequests: PremiumRequests(thousandths: 2500), maxOutputTokens: 2000),
                    permission: .readOnly,
                    executeNetwork: .allow,
                    routing: AgentRouting(labels: ["planning", "epic"], priority: 40),
                    source: loaded.path("agents/planner.yaml")))
        #expect(profile.model == "claude-sonnet-4.5")
        #expect(profile.routing?.matches(["Epic", "bug"]) == true)
        #expect(profile.routing?.matches(["bug"]) == false)
    }

    @Test(
        "model names match catalog names and aliases without regard to case; inherit is the default",
        arguments: [
            ("sonnet", ["claude-sonnet-4.5"]), ("haiku", ["claude-haiku-4.5"]), ("opus", ["claude-opus-4.7"]),
            ("inherit", ["gpt-4.1"]), ("Inherit", ["gpt-4.1"]), ("GPT-4.1", ["gpt-4.1"]), ("gpt-4.1", ["gpt-4.1"]),
            ("Claude Sonnet 4.5", ["claude-sonnet-4.5"]), ("CLAUDE-SONNET-4.5", ["claude-sonnet-4.5"]),
            ("'gpt-5.5'", ["gpt-5.5"]), ("[opus, sonnet, Opus]", ["claude-opus-4.7", "claude-sonnet-4.5"]),
            ("[haiku, inherit]", ["claude-haiku-4.5", "gpt-4.1"]),
        ])
    func models(written: String, models: [String]) throws {
        let loaded = try loadWorkspace(["agents/p.yaml": "description: Helps.\nmodel: \(written)\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("p")?.models == models)
    }

    @Test("a profile without 'model' uses the catalog default")
    func defaultModel() throws {
        let loaded = try loadWorkspace(["agents/p.md": "---\ndescription: Helps.\n---\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("p")?.models == ["gpt-4.1"])
        #expect(loaded.profile("p")?.prompt == "")
    }

    @Test(
        "file names give handles and formats",
        arguments: [
            ("test-writer.agent.md", "test-writer"), ("reviewer.md", "reviewer"), ("planner.yaml", "planner"),
            ("triager.yml", "triager"), ("C# Expert.agent.md", "C# Expert"),
        ])
    func handles(name: String, handle: String) {
        #expect(AgentProfileDocument.handle(forFileName: name)?.handle == handle)
    }

    @Test(
        "files that are not profiles by their name are skipped",
        arguments: [".hidden.yaml", "README.md", "readme.md", "notes.txt", ".md", ".agent.md", "yaml", "x.json"])
    func notProfiles(name: String) {
        #expect(AgentProfileDocument.handle(forFileName: name) == nil)
    }
}
