import Foundation
import Testing

@Suite("agentsched validate, end to end")
struct ValidateCommandTests {
    @Test("the example workspace validates with no diagnostics and exit 0")
    func exampleWorkspaceIsValid() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("validate")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == "ok: 7 agents, 3 organisations, 53 models\n")
    }

    @Test(
        "without a working bubblewrap, every profile that uses execute gets a warning, unless policies say sandbox: none"
    )
    func warnsWithoutASandbox() async throws {
        let workspace = try TemporaryWorkspace()
        let missing = ["AGENTSCHED_BWRAP": "/nonexistent/bwrap"]
        let result = try await BackgroundAgentsched.run(["validate"], in: workspace.url, environment: missing)
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 3, "\(result.stderr)")
        #expect(
            warnings.contains {
                $0.hasPrefix("agents/implementer.agent.md:1:1: warning: agent 'implementer' uses execute")
                    && $0.contains("/nonexistent/bwrap")
            })
        for policy in ["acme", "globex", "initech"] {
            let file = workspace.url.appendingPathComponent("policies/\(policy).yaml")
            try (try String(contentsOf: file, encoding: .utf8) + "\nsandbox: none\n").write(
                to: file, atomically: true, encoding: .utf8)
        }
        let quiet = try await BackgroundAgentsched.run(["validate"], in: workspace.url, environment: missing)
        #expect(quiet.stderr == "", "\(quiet.stderr)")
        #expect(try await workspace.run("validate").stderr == "")
    }

    @Test("every problem in every file is printed as PATH:LINE:COLUMN and the exit code is 2")
    func reportsAllProblemsWithLocations() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            "agents/broken.yaml",
            """
            name: Broken
            descripton: typo
            model: gpt-4.2
            tools: [Raed, Grep]
            permissions: admin

            """)
        try workspace.write("policies/initech.yaml", "org: initech\nbudget: { premium-requests: -5, period: yearly }\n")
        let result = try await workspace.run("validate")
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "agents/broken.yaml:1:1: error: missing required key 'description'; say in one line what the agent is for; routing and people read it",
                "agents/broken.yaml:2:1: warning: unknown key 'descripton' in agent profile; did you mean 'description'?",
                "agents/broken.yaml:3:8: error: model 'gpt-4.2' is not in the model catalog; did you mean 'gpt-4.1'?",
                "agents/broken.yaml:4:9: warning: unknown tool 'Raed' in 'tools'; did you mean 'read'?",
                "agents/broken.yaml:5:14: error: 'permissions' is 'admin'; it must be one of read-only, write",
                "policies/initech.yaml:2:29: error: 'premium-requests' is -5; amounts cannot be negative",
                "policies/initech.yaml:2:41: error: 'period' is 'yearly'; it must be one of monthly, weekly, daily, none",
            ])
        #expect(result.stdout == "invalid: 5 errors, 2 warnings (7 agents, 3 organisations, 53 models)\n")
    }

    @Test("--format json prints one JSON array on stdout and nothing on stderr")
    func jsonFormat() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agents/odd.agent.md", "---\ndescription: odd\ntools: [edit, Bsh]\n---\nDo odd things.\n")
        let result = try await workspace.run("validate", "--format", "json")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let diagnostics = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(diagnostics.count == 1)
        let first = try #require(diagnostics.first)
        #expect(first["file"] as? String == "agents/odd.agent.md")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 15)
        #expect(first["severity"] as? String == "warning")
        #expect(first["code"] as? String == "unknown-tool")
        #expect(first["message"] as? String == "unknown tool 'Bsh' in 'tools'")
        #expect(first["hint"] as? String == "did you mean 'bash'?")
    }

    @Test("--strict turns warnings into errors")
    func strictEscalates() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agents/extra.yaml", "description: extra\ncolour: blue\n")
        let lenient = try await workspace.run("validate")
        #expect(lenient.status == 0)
        #expect(lenient.stdout == "ok with 1 warning: 8 agents, 3 organisations, 53 models\n")
        #expect(
            lenient.stderr
                == "agents/extra.yaml:2:1: warning: unknown key 'colour' in agent profile; did you mean 'color'?\n")
        let strict = try await workspace.run("validate", "--strict")
        #expect(strict.status == 2)
        #expect(
            strict.stderr
                == "agents/extra.yaml:2:1: error: unknown key 'colour' in agent profile; did you mean 'color'?\n")
    }

    @Test("PATH arguments limit the report to those files")
    func pathsLimitTheReport() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agents/one.yaml", "description: one\nfoo: 1\n")
        try workspace.write("agents/two.yaml", "description: two\nbar: 2\n")
        let result = try await workspace.run("validate", "agents/two.yaml")
        #expect(result.status == 0)
        #expect(result.stderr == "agents/two.yaml:2:1: warning: unknown key 'bar' in agent profile\n")
    }

    @Test("a file outside the agent folders is checked against the workspace's catalog and team")
    func extraFileIsChecked() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            "drafts/csharp.agent.md",
            "---\nname: 'C# Expert'\ndescription: C# work\nmodel: GPT-4.1\ntools: ['codebase', 'runCommands']\n---\nBe idiomatic.\n"
        )
        try workspace.write("drafts/bad.agent.md", "---\ndescription: bad\nmodel: gpt-9\n---\n")
        let result = try await workspace.run("validate", "drafts")
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "drafts/bad.agent.md:3:8: error: model 'gpt-9' is not in the model catalog; did you mean 'gpt-5'?\n")
    }

    @Test(
        "hostile files get one diagnostic naming the file, and no crash or hang",
        arguments: [
            (
                "binary.yaml", Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]),
                "agents/binary.yaml:1:5: error: file contains a NUL byte"
            ),
            (
                "deep.yaml",
                Data(("a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
                "agents/deep.yaml:1:"
            ),
            (
                "latin1.yaml", Data([0x64, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]),
                "agents/latin1.yaml:1:7: error: invalid UTF-8 byte 0xE9"
            ),
            ("empty.yaml", Data(), "agents/empty.yaml:1:1: error: profile file is empty"),
        ])
    func hostileFiles(name: String, contents: Data, expectedPrefix: String) async throws {
        let workspace = try TemporaryWorkspace()
        try contents.write(to: workspace.url.appendingPathComponent("agents/\(name)"))
        let result = try await workspace.run("validate")
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(expectedPrefix) == true)
    }

    @Test("an alias bomb is refused at the alias that crosses the limit")
    func aliasBomb() async throws {
        let workspace = try TemporaryWorkspace()
        var yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        try workspace.write("agents/bomb.yaml", yaml)
        let result = try await workspace.run("validate")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("agents/bomb.yaml:"))
        #expect(result.stderr.contains("error: document expands to more than 100000 YAML nodes"))
    }

    @Test("--workspace DIR prefixes every path with DIR")
    func workspaceOption() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write("agents/extra.yaml", "description: extra\nfoo: 1\n")
        let result = try await AgentschedProcess.run(
            ["validate", "--workspace", workspace.path], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0)
        #expect(
            result.stderr == "\(workspace.path)/agents/extra.yaml:2:1: warning: unknown key 'foo' in agent profile\n")
    }
}
