import Foundation
import Testing

@Suite("agentsched agents, policy and command-line errors, end to end")
struct CommandLineTests {
    @Test("agents list prints one row per profile under a header")
    func agentsListTable() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("agents", "list")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("HANDLE") == true)
        #expect(lines.count == 8)
        #expect(
            lines.contains {
                $0.hasPrefix("test-writer ") && $0.contains("gpt-4.1") && $0.contains("agents/test-writer.yaml")
            })
    }

    @Test("agents list --format json is an array of effective profiles")
    func agentsListJSON() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("agents", "list", "--format", "json")
        #expect(result.status == 0)
        let profiles = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(
            profiles.map { $0["handle"] as? String } == [
                "docs-writer", "implementer", "planner", "reviewer", "security-auditor", "test-writer", "triager",
            ])
    }

    @Test("agents show prints the merged profile, by handle or by display name with spaces")
    func agentsShow() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            ".github/agents/csharp-expert.agent.md",
            "---\nname: 'C# Expert'\ndescription: C# work\nmodel: Claude Sonnet 4.5\ntools: ['codebase', 'edit/editFiles']\n---\nBe idiomatic.\n"
        )
        let byName = try await workspace.run("agents", "show", "C# Expert", "--format", "json")
        #expect(byName.status == 0)
        let profile = try #require(try JSONSerialization.jsonObject(with: Data(byName.stdout.utf8)) as? [String: Any])
        #expect(profile["handle"] as? String == "csharp-expert")
        #expect(profile["models"] as? [String] == ["claude-sonnet-4.5"])
        #expect(
            profile["tools"] as? [String] == ["read", "search", "edit"]
                || profile["tools"] as? [String] == ["search", "edit"])
        #expect(profile["prompt"] as? String == "Be idiomatic.")

        let inherited = try await workspace.run("agents", "show", "test-writer")
        #expect(inherited.status == 0)
        #expect(inherited.stdout.contains("extends:\n- implementer\n"))
        #expect(inherited.stdout.contains("handle: test-writer\n"))
    }

    @Test("agents show of an unknown agent exits 1 with a suggestion")
    func agentsShowUnknown() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("agents", "show", "reviwer")
        #expect(result.status == 1)
        #expect(result.stderr == "error: no agent named 'reviwer'; did you mean 'reviewer'?\n")
    }

    @Test("commands that need a valid workspace print its diagnostics and exit 2")
    func invalidWorkspaceStopsCommands() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agents/bad.yaml", "description: [not, text]\n")
        let result = try await workspace.run("agents", "list")
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr == "agents/bad.yaml:1:14: error: 'description' must be a string, not a list\n")
    }

    @Test("policy show prints one organisation as text or JSON")
    func policyShow() async throws {
        let workspace = try TemporaryWorkspace()
        let text = try await workspace.run("policy", "show", "acme")
        #expect(text.status == 0)
        #expect(
            text.stdout.hasPrefix(
                "acme  (policies/acme.yaml)\n  billing      premium-requests\n  charging     per-session\n"))
        #expect(
            text.stdout.contains(
                "  limits       per session unless the profile says: 100 turns, 300 tool calls, 1h runtime, "
                    + "files up to 8388608 bytes\n"))
        let json = try await workspace.run("policy", "show", "globex", "--format", "json")
        #expect(json.status == 0)
        let policy = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(policy["org"] as? String == "globex")
        let budget = try #require(policy["budget"] as? [String: Any])
        #expect(budget["period"] as? String == "weekly")
        #expect(budget["fallback-model"] as? String == "gpt-4.1")
        let limits = try #require(policy["limits"] as? [String: Any])
        #expect(limits["max-turns"] as? Int == 100)
        #expect(limits["max-runtime"] as? String == "1h")
        let all = try await workspace.run("policy", "show", "--format", "json")
        let policies = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(policies.map { $0["org"] as? String } == ["acme", "globex", "initech"])
    }

    @Test("policy show of an unknown organisation exits 1 with a suggestion")
    func policyShowUnknown() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("policy", "show", "acmee")
        #expect(result.status == 1)
        #expect(result.stderr == "error: no policy for organisation 'acmee'; did you mean 'acme'?\n")
    }

    @Test(
        "a bad command line exits 64",
        arguments: [
            ["validate", "--format", "xml"],
            ["validate", "--no-such-flag"],
            ["agents", "show"],
            ["agents", "show", "planner", "--format", "table"],
            ["validate", "--workspace", "/nonexistent/workspace"],
            ["no-such-command"],
        ])
    func badCommandLine(arguments: [String]) async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await AgentschedProcess.run(arguments, in: workspace.url)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Error:") || result.stderr.contains("error:"))
    }
}
