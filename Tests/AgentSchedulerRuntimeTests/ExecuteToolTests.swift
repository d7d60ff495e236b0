import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ExecuteToolTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var command: String
        var output: String
        var isError = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "echo", command: "echo hello", output: "hello\n[exit code 0]"),
        Case(name: "no output", command: "true", output: "[exit code 0]"),
        Case(
            name: "stdout and stderr merged in order", command: "echo out; echo err >&2; echo again",
            output: "out\nerr\nagain\n[exit code 0]"),
        Case(name: "exit code", command: "echo failing; exit 3", output: "failing\n[exit code 3]", isError: true),
        Case(name: "no final newline", command: "printf partial", output: "partial\n[exit code 0]"),
        Case(name: "runs in the worktree", command: "cat marker.txt", output: "marker\n[exit code 0]"),
        Case(name: "HOME is the worktree", command: "cd ~ && cat marker.txt", output: "marker\n[exit code 0]"),
        Case(name: "stdin is empty", command: "cat; echo done", output: "done\n[exit code 0]"),
        Case(name: "TERM is dumb", command: "echo $TERM", output: "dumb\n[exit code 0]"),
        Case(
            name: "killed by a signal", command: "kill -9 $$", output: "[killed by signal 9 (SIGKILL)]", isError: true),
        Case(name: "command not found", command: "no-such-command-x", output: "[exit code 127]", isError: true),
    ]

    @Test(arguments: cases)
    func runs(_ testCase: Case) async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("marker.txt", "marker\n")
        let result = await sandbox.call("execute", toolArguments(["command": testCase.command]))
        #expect(result.isError == testCase.isError)
        #expect(result.output.hasSuffix(testCase.output), "\(result.output)")
        if testCase.name != "command not found" { #expect(result.output == testCase.output) }
    }

    @Test(arguments: [
        (["command": ""] as [String: any Sendable], "'command' is empty"),
        ([:], "missing required argument 'command'"),
        (["command": "true", "timeout_seconds": 0], "argument 'timeout_seconds' must be at least 1"),
        (["command": "true", "timeout_seconds": 100_000], "timeout_seconds may be at most 600"),
        (["command": "true", "timeout": 5], "unknown argument 'timeout'"),
        (["command": ["ls"]], "argument 'command' must be a string, not an array"),
    ])
    func refusesBadArguments(arguments: [String: any Sendable], message: String) async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call("execute", toolArguments(arguments))
        #expect(result.isError)
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func capsOutputKeepingBothEnds() async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call(
            "execute", toolArguments(["command": "echo FIRST; yes filler | head -n 100000; echo LAST"]),
            limits: ToolLimits(maxOutputBytes: 2000))
        #expect(result.truncated)
        #expect(!result.isError)
        #expect(result.output.hasPrefix("FIRST\n"))
        #expect(result.output.hasSuffix("LAST\n[exit code 0]"))
        #expect(result.output.contains("cut from the middle of 683.6 KiB; redirect output to a file"))
        #expect(result.output.utf8.count < 2400)
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let sandbox = try ToolSandbox()
        let command = "sleep 100 & echo background=$!; sh -c 'echo foreground=$$; exec sleep 100'"
        let result = await sandbox.call(
            "execute", toolArguments(["command": command, "timeout_seconds": 1]),
            limits: ToolLimits(killGracePeriod: .seconds(5)))
        #expect(result.isError)
        #expect(result.output.contains("[timed out after 1 s: the command and its processes were killed"))
        let ids = printedProcessIDs(result.output)
        #expect(ids.count == 2, "\(result.output)")
        for (name, id) in ids { #expect(!processIsAlive(id), "\(name) \(id) survived") }
    }

    @Test func sigkillFollowsWhenSigtermIsIgnored() async throws {
        let sandbox = try ToolSandbox()
        let command = "trap '' TERM; sleep 100 & echo background=$!; sleep 100"
        let result = await sandbox.call(
            "execute", toolArguments(["command": command, "timeout_seconds": 1]),
            limits: ToolLimits(killGracePeriod: .milliseconds(200)))
        #expect(result.output.contains("[timed out after 1 s"))
        let ids = printedProcessIDs(result.output)
        #expect(ids.count == 1)
        for (_, id) in ids { #expect(!processIsAlive(id)) }
    }

    @Test func backgroundJobsEndWithTheCommand() async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call(
            "execute", toolArguments(["command": "sleep 100 > /dev/null 2>&1 & echo background=$!"]))
        #expect(result.output.hasSuffix("[exit code 0]"))
        let id = try #require(printedProcessIDs(result.output)["background"])
        #expect(!processIsAlive(id))
    }

    @Test func cancellationEndsTheCommandPromptly() async throws {
        let sandbox = try ToolSandbox()
        let context = sandbox.context()
        let command = "sleep 100 & echo background=$! > pids; sh -c 'echo foreground=$$ >> pids; exec sleep 100'"
        let clock = ContinuousClock()
        var cancelledAt = clock.now
        let result = await withTaskGroup(of: ToolResult.self) { group in
            group.addTask { await sandbox.call("execute", toolArguments(["command": command]), in: context) }
            // Wait (boundedly) until both processes have started, then cancel.
            for _ in 0..<1000 where (sandbox.read("pids")?.split(separator: "\n").count ?? 0) < 2 {
                try? await Task.sleep(for: .milliseconds(10))
            }
            cancelledAt = clock.now
            group.cancelAll()
            return await group.next()!
        }
        // Well before the commands' own 100 s: cancellation, not the commands, ended the call.
        #expect(clock.now - cancelledAt < .seconds(30))
        #expect(result.isError)
        #expect(result.output.hasSuffix("[cancelled: the command and its processes were killed]"))
        let ids = printedProcessIDs(sandbox.read("pids") ?? "")
        #expect(ids.count == 2)
        for (name, id) in ids { #expect(!processIsAlive(id), "\(name) \(id) survived") }
    }

    @Test func secretsNeverReachTheCommand() async throws {
        if getenv("GITHUB_TOKEN") == nil { setenv("GITHUB_TOKEN", "ghp_test_secret_value", 0) }
        let token = String(cString: getenv("GITHUB_TOKEN"))
        let sandbox = try ToolSandbox()
        let result = await sandbox.call(
            "execute", toolArguments(["command": "env"]),
            environment: ["PROJECT": "agentsched", "MY_API_KEY": "k", "npm_token": "t", "DB_PASSWORD": "p"])
        let names = Set(
            result.output.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(!result.output.contains(token))
        #expect(names.isSuperset(of: ["PATH", "HOME", "LANG", "TERM", "PROJECT"]))
        #expect(names.isDisjoint(with: ["GITHUB_TOKEN", "MY_API_KEY", "npm_token", "DB_PASSWORD"]))
        #expect(result.output.contains("HOME=\(sandbox.root.path)\n"))
    }

    @Test(arguments: [
        ("GITHUB_TOKEN", true), ("OPENAI_API_KEY", true), ("aws_secret_access_key", true), ("PGPASSWORD", true),
        ("GOOGLE_APPLICATION_CREDENTIALS", true), ("SSH_AUTH_SOCK", false), ("PATH", false), ("CI", false),
    ])
    func recognisesSecretNames(name: String, secret: Bool) {
        #expect(ExecuteTool.isSecret(name) == secret)
        let environment = ExecuteTool.environment(root: "/w", extra: [name: "v"])
        #expect((environment[name] != nil) == !secret)
    }

    @Test func commandsRunConcurrently() async throws {
        let sandbox = try ToolSandbox()
        let context = sandbox.context()
        let outputs = await withTaskGroup(of: String.self) { group in
            for index in 0..<8 {
                group.addTask {
                    await sandbox.call("execute", toolArguments(["command": "echo run-\(index)"]), in: context).output
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(outputs) == Set((0..<8).map { "run-\($0)\n[exit code 0]" }))
    }

    @Test func childProcessKeepsStreamsApartAndReportsStartFailures() async throws {
        let separate = ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 4"], environment: [:], directory: "/"
        )
        let outcome = try await separate.run().get()
        #expect(outcome.standardOutput.text == "out\n")
        #expect(outcome.standardError.text == "err\n")
        #expect(outcome.termination == .exited(4) && outcome.ending == .finished && !outcome.succeeded)

        let missing = ChildProcess(executable: "/no/such/program", arguments: [], environment: [:], directory: "/")
        guard case .failure(let error) = await missing.run() else {
            Issue.record("started a missing program")
            return
        }
        #expect(error.description == "could not start /no/such/program: No such file or directory")
    }
}
