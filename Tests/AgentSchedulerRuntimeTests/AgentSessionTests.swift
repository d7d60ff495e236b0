import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

@Suite("A whole session: replay transcript, real tools, a git worktree, a branch")
struct AgentSessionTests {
    /// Runs git in `folder` with a fixed identity, returning its output (standard error merged).
    @discardableResult
    static func git(_ arguments: [String], in folder: URL) async throws -> String {
        try await TestProcess.run(
            ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments, in: folder,
            mergingErrors: true
        ).output
    }

    /// A repository whose `add` subtracts, with a test that catches it.
    static func buggyRepository(in folder: URL) async throws -> URL {
        let repository = folder.appendingPathComponent("webapp")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        try "add() { echo $(( $1 - $2 )); }\n".write(
            to: repository.appendingPathComponent("calc.sh"), atomically: true, encoding: .utf8)
        try """
        . ./calc.sh
        if [ "$(add 2 3)" = "5" ]; then echo PASS; else echo "FAIL: add 2 3 gave $(add 2 3)"; exit 1; fi

        """.write(to: repository.appendingPathComponent("test.sh"), atomically: true, encoding: .utf8)
        try "Run `sh test.sh` before you finish.\n".write(
            to: repository.appendingPathComponent("AGENTS.md"), atomically: true, encoding: .utf8)
        try await git(["init", "-q", "-b", "main"], in: repository)
        try await git(["add", "."], in: repository)
        try await git(["commit", "-q", "-m", "Initial"], in: repository)
        return repository
    }

    static let transcript = """
        responses:
          - content: Let me look at the code and run the test.
            tool_calls:
              - { name: read, arguments: { path: calc.sh } }
              - { name: execute, arguments: { command: "sh test.sh" } }
          - content: add subtracts; fixing it.
            tool_calls:
              - { name: edit, arguments: { path: calc.sh, old_string: "$1 - $2", new_string: "$1 + $2" } }
              - { name: execute, arguments: { command: "sh test.sh" } }
          - content: Fixed `add`, which subtracted its arguments; `sh test.sh` passes.
        """

    @Test("replayed tool calls really read, run, edit and test, and the work lands on a committed branch")
    func replaySession() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let repository = try await Self.buggyRepository(in: folder)
        let transcripts = folder.appendingPathComponent("transcripts")
        try FileManager.default.createDirectory(
            at: transcripts.appendingPathComponent("implementer"), withIntermediateDirectories: true)
        try Self.transcript.write(
            to: transcripts.appendingPathComponent("implementer/42.yaml"), atomically: true, encoding: .utf8)

        let branch = AgentSession.branchName(issue: 42, agent: "implementer", session: "7")
        let worktree = LazyWorktree(
            repository: repository, baseRef: nil, branch: branch, at: folder.appendingPathComponent("worktrees/7"),
            containment: try await TestContainment.sandboxed())
        let events = EventLog()
        let loop = AgentLoop(
            assignment: .init(
                agent: "implementer",
                systemPrompt: SystemPrompt.make(
                    profilePrompt: "You fix bugs.",
                    instructions: await SystemPrompt.instructions(in: repository, at: nil)), issue: 42,
                title: "add is wrong", body: "add 2 3 should be 5."),
            model: "local-replay", client: ResilientModelClient(client: ReplayClient(transcripts: transcripts)),
            tools: Toolbox(tools: .all, permission: .write, context: ToolContext(worktree: worktree)),
            events: events)
        let session = AgentSession(
            id: "7", loop: loop, worktree: worktree, branch: branch, patchFile: folder.appendingPathComponent("7.patch")
        )
        let output = await session.run()

        #expect(
            output.outcome == .completed(summary: "Fixed `add`, which subtracted its arguments; `sh test.sh` passes."))
        #expect(output.finishingError == nil)
        let results = await events.events.compactMap { event -> String? in
            if case .toolFinished(_, _, let name, let isError, let text) = event {
                return "\(name) \(isError ? "error" : "ok"): \(text.split(separator: "\n").first ?? "")"
            }
            return nil
        }
        #expect(results.count == 4)
        #expect(results[1].hasPrefix("execute error"))
        #expect(results[3].hasPrefix("execute ok"))
        #expect(loop.assignment.systemPrompt.contains("Run `sh test.sh` before you finish."))

        let commit = try #require(output.commit)
        #expect(
            try await Self.git(["show", "\(branch):calc.sh"], in: repository) == "add() { echo $(( $1 + $2 )); }\n")
        #expect(try await Self.git(["show", "-s", "--format=%an", commit], in: repository) == "implementer\n")
        let message = try await Self.git(["show", "-s", "--format=%B", commit], in: repository)
        #expect(message.hasPrefix("add is wrong (#42)"))
        #expect(message.contains("Agentsched-Session: 7"))
        #expect(message.contains("Agentsched-Issue: #42"))
        let patch = try String(contentsOf: try #require(output.patch), encoding: .utf8)
        #expect(patch.contains("+add() { echo $(( $1 + $2 )); }"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("worktrees/7").path))
        #expect(
            try String(contentsOf: repository.appendingPathComponent("calc.sh"), encoding: .utf8).contains("$1 - $2"))
    }

    @Test("a session that never touches a file creates no worktree, commit or patch")
    func noFiles() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let repository = try await Self.buggyRepository(in: folder)
        let worktree = LazyWorktree(
            repository: repository, baseRef: nil, branch: "agentsched/1-planner-1",
            at: folder.appendingPathComponent("worktrees/1"), containment: .none)
        let loop = AgentLoop(
            assignment: .init(agent: "planner", systemPrompt: "Plan.", issue: 1, title: "t", body: "b"), model: "m",
            client: ResilientModelClient(client: ScriptedModel([ScriptedModel.text("Plan: nothing to change.")])),
            tools: Toolbox(tools: .all, permission: .readOnly, context: ToolContext(worktree: worktree)),
            events: EventLog())
        let output = await AgentSession(
            id: "1", loop: loop, worktree: worktree, branch: "agentsched/1-planner-1",
            patchFile: folder.appendingPathComponent("1.patch")
        ).run()
        #expect(output.outcome == .completed(summary: "Plan: nothing to change."))
        #expect(output.commit == nil && output.patch == nil)
        #expect(await worktree.isCreated == false)
        #expect(try await Self.git(["branch", "--list", "agentsched/*"], in: repository) == "")
    }

    @Test(
        "branch names are agentsched/ISSUE-AGENT-ID with unsafe characters replaced",
        arguments: [
            (12, "test-writer", "5", "agentsched/12-test-writer-5"), (3, "C# Expert", "9", "agentsched/3-C--Expert-9"),
        ])
    func branchNames(issue: Int, agent: String, session: String, expected: String) {
        #expect(AgentSession.branchName(issue: issue, agent: agent, session: session) == expected)
    }
}
