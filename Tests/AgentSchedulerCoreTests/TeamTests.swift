import Testing

@testable import AgentSchedulerCore

@Suite("Team: extends, handles and names")
struct TeamTests {
    static let base = """
        name: Base Agent
        description: Base.
        prompt: Base prompt.
        model: opus
        tools: [read, search, edit]
        permissions: read-only
        limits: {max-turns: 10, max-runtime: 30m}
        routing: {labels: [base], priority: 5}
        metadata: {team: a}

        """

    @Test(
        "extends merges the parent first: the child's keys win, limits merge field by field, the name is not inherited")
    func extendsMerges() throws {
        let loaded = try loadWorkspace([
            "agents/base.yaml": Self.base,
            "agents/child.yaml": """
            extends: base
            description: Child.
            limits: {max-turns: 20, max-premium-requests: 5}
            color: blue

            """,
        ])
        #expect(loaded.diagnostics == [])
        let child = try #require(loaded.profile("child"))
        #expect(
            child
                == AgentProfile(
                    handle: "child",
                    name: "child",
                    description: "Child.",
                    prompt: "Base prompt.",
                    models: ["claude-opus-4.7"],
                    tools: ToolSet(builtins: [.read, .search, .edit]),
                    limits: AgentLimits(
                        maxTurns: 20, maxRuntime: HumanDuration(.seconds(1800)), maxPremiumRequests: PremiumRequests(5)),
                    permission: .readOnly,
                    routing: AgentRouting(labels: ["base"], priority: 5),
                    extends: ["base"],
                    source: loaded.path("agents/child.yaml"),
                    attributes: .object([
                        ("metadata", .object([("team", .string("a"))])),
                        ("color", .string("blue")),
                    ])))
        #expect(loaded.profile("base")?.name == "Base Agent")
    }

    @Test("a parent may be named by its display name, and chains resolve through grandparents")
    func chains() throws {
        let loaded = try loadWorkspace([
            "agents/base.yaml": Self.base,
            "agents/middle.md": "---\nextends: Base Agent\ndescription: Middle.\nmodel: haiku\n---\nMiddle prompt.\n",
            "agents/leaf.yaml": "extends: [middle]\npermissions: write\n",
        ])
        #expect(loaded.diagnostics == [])
        let leaf = try #require(loaded.profile("leaf"))
        #expect(leaf.description == "Middle.")
        #expect(leaf.prompt == "Middle prompt.")
        #expect(leaf.models == ["claude-haiku-4.5"])
        #expect(leaf.permission == .write)
        #expect(leaf.tools == ToolSet(builtins: [.read, .search, .edit]))
        #expect(leaf.limits == AgentLimits(maxTurns: 10, maxRuntime: HumanDuration(.seconds(1800))))
    }

    @Test(
        "with several parents, later parents win over earlier ones",
        arguments: [("[a, b]", "claude-haiku-4.5"), ("[b, a]", "claude-opus-4.7"), ("a, b", "claude-haiku-4.5")])
    func multipleParents(extends: String, model: String) throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\nmodel: opus\ntools: [read]\n",
            "agents/b.yaml": "description: B.\nmodel: haiku\npermissions: read-only\n",
            "agents/c.yaml": "extends: \(extends)\n",
        ])
        #expect(loaded.diagnostics == [])
        let c = try #require(loaded.profile("c"))
        #expect(c.models == [model])
        #expect(c.tools == ToolSet(builtins: [.read]))
        #expect(c.permission == .readOnly)
        #expect(c.description == (model == "claude-haiku-4.5" ? "B." : "A."))
    }

    @Test("a missing parent is an error at the extends item, with a suggestion; the child is left out")
    func missingParent() throws {
        let loaded = try loadWorkspace([
            "agents/base.yaml": Self.base,
            "agents/child.yaml": "description: Child.\nextends: [base, bsae]\n",
        ])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 17, .error, .unknownAgent, "'extends' names 'bsae', which is not a profile of the team",
                    hint: "did you mean 'base'?"
                ).diagnostic(in: loaded.path("agents/child.yaml"))
            ])
        #expect(loaded.workspace.team.profiles.map(\.handle) == ["base"])
    }

    @Test("a cycle a → b → a is one error, and neither profile is loaded")
    func cycle() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\nextends: b\n",
            "agents/b.yaml": "description: B.\nextends: a\n",
            "agents/c.yaml": "description: C.\n",
        ])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 10, .error, .cycle, "'extends' forms a cycle: a → b → a", hint: "remove one of the links"
                ).diagnostic(in: loaded.path("agents/b.yaml"))
            ])
        #expect(loaded.workspace.team.profiles.map(\.handle) == ["c"])
    }

    @Test("a profile that extends itself is a cycle")
    func selfCycle() throws {
        let loaded = try loadWorkspace(["agents/a.yaml": "description: A.\nextends: [a]\n"])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 11, .error, .cycle, "'extends' forms a cycle: a → a", hint: "remove one of the links"
                ).diagnostic(in: loaded.path("agents/a.yaml"))
            ])
    }

    @Test("one handle in agents/ and .claude/agents/ is two errors, each naming the other file")
    func duplicateHandle() throws {
        let loaded = try loadWorkspace([
            "agents/dup.yaml": "description: First.\n",
            ".claude/agents/dup.md": "---\ndescription: Second.\n---\n",
        ])
        let hint = "rename one of the files; the handle is the file name without its extension"
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 1, .error, .duplicate,
                    "agent handle 'dup' is defined twice: here and in \(loaded.path("agents/dup.yaml"))", hint: hint
                ).diagnostic(in: loaded.path(".claude/agents/dup.md")),
                ExpectedDiagnostic(
                    1, 1, .error, .duplicate,
                    "agent handle 'dup' is defined twice: here and in \(loaded.path(".claude/agents/dup.md"))",
                    hint: hint
                ).diagnostic(in: loaded.path("agents/dup.yaml")),
            ])
        #expect(loaded.workspace.team.profiles.map(\.description) == ["First."])
    }

    @Test("a display name equal to another profile's handle is an error at the name")
    func nameClashesWithHandle() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\nname: b\n",
            "agents/b.yaml": "description: B.\n",
        ])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 7, .error, .duplicate,
                    "agent name 'b' also names the profile in \(loaded.path("agents/b.yaml"))",
                    hint: "give each agent a name no other profile uses as its name or file name"
                ).diagnostic(in: loaded.path("agents/a.yaml"))
            ])
    }

    @Test("two profiles with one display name are an error in each file")
    func sameDisplayName() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "name: Helper\ndescription: A.\n",
            ".github/agents/b.agent.md": "---\ndescription: B.\nname: Helper\n---\n",
        ])
        let hint = "give each agent a name no other profile uses as its name or file name"
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    3, 7, .error, .duplicate,
                    "agent name 'Helper' also names the profile in \(loaded.path("agents/a.yaml"))", hint: hint
                ).diagnostic(in: loaded.path(".github/agents/b.agent.md")),
                ExpectedDiagnostic(
                    1, 7, .error, .duplicate,
                    "agent name 'Helper' also names the profile in \(loaded.path(".github/agents/b.agent.md"))",
                    hint: hint
                ).diagnostic(in: loaded.path("agents/a.yaml")),
            ])
    }

    @Test(
        "tools: absent is everything, [] and null are nothing, * is everything, disallowed tools are removed",
        arguments: [
            ("", ToolSet.all),
            ("tools: []\n", ToolSet.none),
            ("tools:\n", ToolSet.none),
            ("tools: [\"*\"]\n", ToolSet.all),
            ("tools: \"*\"\n", ToolSet.all),
            ("tools: [read, edit, execute]\ndisallowed-tools: [Bash]\n", ToolSet(builtins: [.read, .edit])),
            (
                "disallowed-tools: [edit, execute]\n",
                ToolSet(builtins: [.read, .search, .agent, .todo, .web], allMCP: true)
            ),
            (
                "disallowedTools: Write, WebFetch\n",
                ToolSet(builtins: [.read, .search, .execute, .agent, .todo], allMCP: true)
            ),
            ("tools: [github/*, read]\ndisallowed-tools: [github/*]\n", ToolSet(builtins: [.read])),
            ("disallowed-tools: [\"*\"]\n", ToolSet.none),
        ])
    func tools(keys: String, tools: ToolSet) throws {
        let loaded = try loadWorkspace(["agents/p.yaml": "description: Helps.\n\(keys)"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("p")?.tools == tools)
    }

    @Test(
        "disallowing one MCP tool takes it away, also from a whole server or from every tool",
        arguments: [
            ("disallowedTools: [mcp__github__delete_repo]\n", ToolSet.all),
            (
                "tools: [read, github/*]\ndisallowed-tools: [github/delete_repo]\n",
                ToolSet(builtins: [.read], mcp: [MCPToolReference(server: "github", tool: nil)])
            ),
        ])
    func disallowedMCPTool(keys: String, withoutDisallowing: ToolSet) throws {
        let loaded = try loadWorkspace(["agents/p.yaml": "description: Helps.\n\(keys)"])
        #expect(loaded.diagnostics == [])
        // Whatever the representation, the set must differ from the one without `disallowed-tools`:
        // otherwise the agent may still call github/delete_repo.
        #expect(loaded.profile("p")?.tools != withoutDisallowing)
    }

    @Test("a profile is found by its handle first, then by its exact display name")
    func lookup() {
        let team = Team(profiles: [
            AgentProfile(handle: "z", name: "a", description: "", prompt: "", models: [], source: "z.yaml"),
            AgentProfile(handle: "a", name: "Alpha", description: "", prompt: "", models: [], source: "a.yaml"),
        ])
        #expect(team.profiles.map(\.handle) == ["a", "z"])
        #expect(team.profile(named: "a")?.source == "a.yaml")
        #expect(team.profile(named: "Alpha")?.handle == "a")
        #expect(team.profile(named: "alpha") == nil)
        #expect(team.allNames == ["a", "Alpha", "z", "a"])
    }
}
