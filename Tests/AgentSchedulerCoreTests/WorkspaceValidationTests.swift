import Testing

@testable import AgentSchedulerCore

@Suite("Workspace validation")
struct WorkspaceValidationTests {
    /// One warning in agents/a.yaml, one error in policies/acme.yaml, nothing in agents/b.md.
    static let files = [
        "agents/a.yaml": "description: A.\ncolour: red\n",
        "agents/b.md": "---\ndescription: B.\n---\n",
        "policies/acme.yaml": "org: acme\nconcurrency: {sessions: 0}\n",
    ]

    @Test("without paths every diagnostic is kept; the summary counts what was checked")
    func all() throws {
        let loaded = try loadWorkspace(Self.files)
        let validation = WorkspaceValidation(workspace: loaded.workspace)
        #expect(
            validation.diagnostics.map(\.description) == [
                "\(loaded.path("agents/a.yaml")):2:1: warning: unknown key 'colour' in agent profile; did you mean 'color'?",
                "\(loaded.path("policies/acme.yaml")):2:25: error: 'sessions' is 0; it must be at least 1",
            ])
        #expect(validation.errorCount == 1)
        #expect(validation.warningCount == 1)
        #expect(validation.failed)
        #expect(validation.summary == "invalid: 1 error, 1 warning (2 agents, 1 organisation, 5 models)")
    }

    @Test(
        "paths keep the diagnostics in files at or below them",
        arguments: [
            (["agents"], ["agents/a.yaml"]), (["agents/a.yaml"], ["agents/a.yaml"]), (["agents/b.md"], []),
            (["policies/"], ["policies/acme.yaml"]),
            (["agents", "policies"], ["agents/a.yaml", "policies/acme.yaml"]),
            (["agent"], []), (["agents/a"], []), (["."], ["agents/a.yaml", "policies/acme.yaml"]),
            (["agents/../policies"], ["policies/acme.yaml"]),
        ])
    func paths(paths: [String], files: [String]) throws {
        let loaded = try loadWorkspace(Self.files)
        let validation = WorkspaceValidation(workspace: loaded.workspace, paths: paths.map { loaded.path($0) })
        #expect(validation.diagnostics.map(\.location.path) == files.map { loaded.path($0) })
    }

    @Test("--strict makes every warning an error")
    func strict() throws {
        let loaded = try loadWorkspace(Self.files)
        let validation = WorkspaceValidation(
            workspace: loaded.workspace, paths: [loaded.path("agents")], strict: true)
        #expect(
            validation.diagnostics == [
                ExpectedDiagnostic(
                    2, 1, .error, .unknownKey, "unknown key 'colour' in agent profile", hint: "did you mean 'color'?"
                ).diagnostic(in: loaded.path("agents/a.yaml"))
            ])
        #expect(validation.failed)
        #expect(validation.summary == "invalid: 1 error, 0 warnings (2 agents, 1 organisation, 5 models)")
        #expect(loaded.workspace.diagnostics.map(\.severity) == [.warning, .error])
    }

    @Test("a clean or warning-only selection passes, and the summary says so")
    func passing() throws {
        let loaded = try loadWorkspace(Self.files)
        let warningsOnly = WorkspaceValidation(workspace: loaded.workspace, paths: [loaded.path("agents")])
        #expect(!warningsOnly.failed)
        #expect(warningsOnly.summary == "ok with 1 warning: 2 agents, 1 organisation, 5 models")
        let clean = WorkspaceValidation(workspace: loaded.workspace, paths: [loaded.path("agents/b.md")])
        #expect(!clean.failed)
        #expect(clean.summary == "ok: 2 agents, 1 organisation, 5 models")

        let one = try loadWorkspace(["agents/a.yaml": "description: A.\n"])
        #expect(WorkspaceValidation(workspace: one.workspace).summary == "ok: 1 agent, 0 organisations, 5 models")
    }

    @Test("a workspace without profiles is an error at agents/")
    func noProfiles() throws {
        let loaded = try loadWorkspace([:])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 1, .error, .missingKey, "no agent profiles found in agents/, .github/agents/, .claude/agents/",
                    hint: "add a profile such as agents/implementer.agent.md"
                ).diagnostic(in: loaded.path("agents"))
            ])
    }

    @Test("diagnostics are sorted by file and place")
    func sorted() throws {
        let loaded = try loadWorkspace([
            "agents/b.yaml": "description: B.\nzzz: 1\naaa: 2\n",
            "agents/a.yaml": "description: A.\nqqq: 1\n",
        ])
        #expect(
            loaded.diagnostics.map { "\($0.location.path.split(separator: "/").last!):\($0.location.line)" } == [
                "a.yaml:2", "b.yaml:2", "b.yaml:3",
            ])
        #expect(loaded.workspace.warnings.count == 3)
        #expect(loaded.workspace.errors.isEmpty)
    }
}
