import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("The shipped example workspace")
struct ExampleWorkspaceTests {
    @Test("the package root loads with zero diagnostics: seven agents, three organisations")
    func packageRoot() throws {
        let workspace = WorkspaceLoader(root: Fixtures.packageRoot).load()
        #expect(workspace.diagnostics == [])
        #expect(
            workspace.team.profiles.map(\.handle) == [
                "docs-writer", "implementer", "planner", "reviewer", "security-auditor", "test-writer", "triager",
            ])
        #expect(workspace.policies.map(\.org) == ["acme", "globex", "initech"])
        #expect(workspace.configuration.user == "alice")
        #expect(workspace.configuration.repositories["acme/webapp"]?.path == "examples/repos/webapp")

        let testWriter = try #require(workspace.team.profile(named: "test-writer"))
        #expect(testWriter.models == ["gpt-4.1"])
        #expect(testWriter.tools == ToolSet(builtins: [.read, .search, .edit, .execute, .todo]))
        #expect(testWriter.limits.maxPremiumRequests == PremiumRequests(20))
        #expect(workspace.team.profile(named: "planner")?.models == ["claude-sonnet-4.5"])
        #expect(workspace.team.profile(named: "triager")?.models == ["gpt-5-mini"])
        #expect(workspace.team.profile(named: "docs-writer")?.models == ["claude-haiku-4.5"])

        let acme = try #require(workspace.policy(named: "acme"))
        #expect(acme.budget.limit?.premiumRequests == PremiumRequests(300))
        let opus = try #require(workspace.catalog?.model(named: "opus"))
        #expect(opus.multiplier == PremiumRequests(15))
        #expect(acme.models.multiplier(for: opus) == PremiumRequests(27))
        #expect(acme.role(of: "carol", in: "acme/infra-db") == .maintain)
        let globex = try #require(workspace.policy(named: "globex"))
        #expect(globex.budget.onExhausted == .fallback)
        #expect(globex.budget.fallbackModel == "gpt-4.1")
        #expect(workspace.catalog?.model(named: "haiku")?.multiplier == PremiumRequests(thousandths: 330))
        #expect(WorkspaceValidation(workspace: workspace).summary == "ok: 7 agents, 3 organisations, 53 models")
    }

    @Test("the Copilot and Claude Code examples, passed as extra files, load with zero diagnostics")
    func examples() throws {
        let fileManager = FileManager.default
        let loaded = try withTemporaryFolder { root in
            for folder in ["examples/copilot", "examples/claude", "policies"] {
                try fileManager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            }
            for folder in ["examples/copilot", "examples/claude"] {
                for name in try fileManager.contentsOfDirectory(atPath: Fixtures.packageRoot + "/" + folder) {
                    try fileManager.copyItem(
                        atPath: Fixtures.packageRoot + "/" + folder + "/" + name,
                        toPath: root + "/" + folder + "/" + name)
                }
            }
            try fileManager.copyItem(
                atPath: Fixtures.packageRoot + "/policies/models.yaml", toPath: root + "/policies/models.yaml")
            // security-reviewer's semgrep server reads this secret; unset, it is an error (MCPDeclarationTests).
            let workspace = WorkspaceLoader(
                root: root, extraFiles: [root + "/examples/copilot", root + "/examples/claude/"],
                environment: ["COPILOT_MCP_SEMGREP_APP_TOKEN": "test-token"]
            ).load()
            return LoadedWorkspace(root: root, workspace: workspace)
        }
        #expect(loaded.diagnostics == [])
        let profiles = loaded.workspace.team.profiles
        #expect(
            profiles.map { "\($0.handle) | \($0.name) | \($0.models.joined(separator: ","))" } == [
                "code-reviewer | code-reviewer | claude-sonnet-4.5",
                "csharp-expert | C# Expert | gpt-4.1",
                "debugger | debugger | claude-opus-4.7",
                "feature-planner | Plan: Feature & Refactor | claude-sonnet-4.5",
                "github-issue-fixer | github-issue-fixer | gpt-4.1",
                "security-reviewer | Security Reviewer (OWASP Top 10) | gpt-4.1",
            ])
        #expect(
            loaded.profile("csharp-expert")?.tools == ToolSet(builtins: [.search, .read, .edit, .execute]))
        #expect(
            loaded.profile("github-issue-fixer")?.tools.names == [
                "read", "search", "edit", "execute", "github/add_issue_comment", "github/get_issue",
                "github/list_issue_comments",
            ])
        #expect(
            loaded.profile("security-reviewer")?.tools.names == ["read", "search", "github/*", "semgrep/*"])
        #expect(loaded.profile("code-reviewer")?.source == loaded.path("examples/claude/code-reviewer.md"))
    }
}
