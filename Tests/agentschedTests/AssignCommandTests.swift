import Foundation
import Testing

@Suite("agentsched assign, end to end")
struct AssignCommandTests {
    @Test("issues are queued for a permitted assigner, and show up as sessions in the ledger")
    func queues() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "1,2", "--title", "Fix the failing test", "--agent",
            "implementer", "--as", "alice")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ISSUE  AGENT        MODEL              RESULT")
        #expect(
            lines.dropFirst().first == "#1     implementer  claude-sonnet-4.5  queued as session 1 (1 premium request)")
        #expect(lines.last == "2 queued")
        #expect(
            FileManager.default.fileExists(
                atPath: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path))
    }

    @Test("--issues without any issue text is refused, queues nothing and charges nothing")
    func refusesEmptyTask() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "5", "--agent", "implementer", "--as", "alice")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: no text for #5 of acme/webapp: it is not on GitHub in agentsched.yaml, so its issues come "
                    + "from a file; give --issues-file F, or --title T (and --body B) with --issues"))
        let labelled = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--label", "bug", "--route", "--as", "alice")
        #expect(labelled.status == 2)
        #expect(labelled.stderr.hasPrefix("error: no text for the issues labelled 'bug' of acme/webapp"))
        #expect(
            !FileManager.default.fileExists(
                atPath: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path))
    }

    @Test("--title and --body become the task's text")
    func titleAndBody() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "5", "--title", "Crash on start", "--body",
            "Run test.sh to see it.", "--agent", "implementer", "--as", "alice")
        #expect(result.status == 0, "\(result.stderr)")
        let show = try await workspace.run("sessions", "show", "1")
        #expect(show.stdout.contains("acme/webapp#5 Crash on start"), "\(show.stdout)")
    }

    @Test(
        "--title and --body are refused where they do not belong",
        arguments: [
            (["--issues-file", "issues.yaml", "--title", "x"], "--title and --body give the text of --issues"),
            (["--issues", "5", "--title", "  "], "--title is empty"),
        ])
    func titleMisuse(arguments: [String], message: String) async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await AgentschedProcess.run(
            ["assign", "--repo", "acme/webapp", "--agent", "implementer", "--as", "alice"] + arguments,
            in: workspace.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("when every issue is refused the exit code is 3, and the refusals are recorded")
    func allRefused() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "3", "--title", "Fix the failing test", "--agent",
            "implementer", "--as", "bob")
        #expect(result.status == 3)
        #expect(
            result.stdout.contains(
                "denied: bob's role in acme/webapp is read; agent implementer (write) needs write or above"))
        let again = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "3", "--title", "Fix the failing test", "--agent",
            "reviewer", "--as", "bob")
        #expect(again.status == 0)
    }

    @Test("a dry run prints JSON, records nothing and creates no state folder")
    func dryRunJSON() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "4", "--title", "Fix the failing test", "--agent",
            "test-writer", "--as", "alice", "--dry-run",
            "--format", "json")
        #expect(result.status == 0)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(results.count == 1)
        #expect(results[0]["status"] as? String == "queued")
        #expect(results[0]["dry_run"] as? Bool == true)
        #expect(results[0]["session"] == nil)
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent(".agentsched").path))
    }

    @Test("--route reads labels from an issues file; --label keeps only the labelled issues")
    func routeFromFile() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            "issues.yaml",
            """
            repository: acme/webapp
            issues:
              - { number: 10, title: "Add parser tests", labels: [tests] }
              - { number: 11, title: "Document the CLI", labels: [documentation] }
              - { number: 12, title: "Why?", labels: [wontfix] }

            """)
        let all = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues-file", "issues.yaml", "--route", "--as", "carol")
        #expect(all.status == 0)
        #expect(all.stdout.contains("#10    test-writer"))
        #expect(all.stdout.contains("#11    docs-writer"))
        #expect(
            all.stdout.contains(
                "#12    -            -                 unrouted: no agent's routing.labels match the issue's labels wontfix"
            ))
        #expect(
            all.stdout.contains("#11    docs-writer  claude-haiku-4.5  queued as session 2 (0.33 premium requests)"))
        #expect(all.stdout.hasSuffix("2 queued, 1 unrouted\n"))
        let labelled = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues-file", "issues.yaml", "--label", "tests", "--route", "--as",
            "carol", "--dry-run")
        #expect(labelled.stdout.split(separator: "\n").count == 3)
    }

    @Test(
        "a bad assign command line exits 64",
        arguments: [
            ["assign", "--repo", "acme", "--issues", "1", "--title", "Fix the failing test", "--agent", "planner"],
            ["assign", "--repo", "acme/webapp", "--agent", "planner"],
            [
                "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--issues-file",
                "x.yaml", "--agent", "planner",
            ],
            [
                "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
                "planner", "--route",
            ],
            [
                "assign", "--repo", "acme/webapp", "--issues", "1,zero", "--title", "Fix the failing test", "--agent",
                "planner",
            ],
            ["assign", "--repo", "acme/webapp", "--issues", "1", "--label", "bug", "--route"],
        ])
    func badCommandLine(arguments: [String]) async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await AgentschedProcess.run(arguments, in: workspace.url)
        #expect(result.status == 64)
    }

    @Test("an unknown agent exits 1 with a suggestion; a missing assigner says how to name one")
    func workFailures() async throws {
        let workspace = try TemporaryWorkspace()
        let unknown = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
            "implementor", "--as", "alice")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no agent named 'implementor'; did you mean 'implementer'?\n")
        let nobody = try await AgentschedProcess.run(
            [
                "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
                "planner",
            ], in: workspace.url,
            environment: ["AGENTSCHED_USER": ""])
        #expect(nobody.status == 1)
        #expect(
            nobody.stderr
                == "error: no assigner: pass --as USER, set AGENTSCHED_USER, or add 'user:' to agentsched.yaml\n")
    }
}

@Suite("agentsched assign: duplicates within one command, and large issues files")
struct AssignInputLimitsTests {
    @Test("an issue listed three times in one command is queued once; the repeats say so")
    func duplicatesWithinOneCommand() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "700,700,700", "--title", "t", "--agent", "implementer",
            "--as", "alice",
            "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(results.map { $0["status"] as? String } == ["queued", "duplicate", "duplicate"])
        #expect(results.compactMap { $0["session"] as? Int } == [1, 1, 1])
        #expect(
            (results[1]["reason"] as? String) == "listed more than once in this command; queued once, as session 1")
        let sessions = try await workspace.run("sessions", "list", "--format", "json")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [Any])
        #expect(listed.count == 1)
    }

    @Test("an issues file over 1 MiB is read; one over 64 MiB is refused with a message about issues files")
    func issuesFileLimit() async throws {
        let workspace = try TemporaryWorkspace()
        let issue = "  - { number: 1, title: \"Add parser tests\", body: \"\(String(repeating: "x", count: 1000))\" }\n"
        var text = "repository: acme/webapp\nissues:\n" + issue
        // About 2 MiB: the padding is a comment, so the file still lists one issue.
        text += "# " + String(repeating: "p", count: 2 << 20) + "\n"
        try workspace.write("issues.yaml", text)
        let read = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues-file", "issues.yaml", "--agent", "implementer", "--as",
            "alice", "--dry-run")
        #expect(read.status == 0, "\(read.stderr)")

        let huge = workspace.url.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: UInt64(65 << 20))
        try handle.close()
        let refused = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues-file", "huge.yaml", "--agent", "implementer", "--as",
            "alice", "--dry-run")
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("the issues file is 65 MiB, more than the 64 MiB an issues file may hold"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("split the issues over several files"))
        #expect(!refused.stderr.contains("profiles and policies"))
    }
}
