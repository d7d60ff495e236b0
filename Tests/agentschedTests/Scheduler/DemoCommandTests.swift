import AgentSchedulerLedger
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched demo, end to end")
    struct DemoCommandTests {
        @Test("demo runs offline: a denial, a budget block, fixed bugs on committed branches, and a usage report")
        func demo() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-demo-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await BackgroundAgentsched.run(
                ["demo", "--into", folder.path], in: AgentschedProcess.packageRoot)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("denied: dave's role in acme/webapp is triage"))
            #expect(result.stdout.contains("queued → blocked (the budget of organisation acme is used up"))
            #expect(result.stdout.contains("== usage --by user,agent,model =="))
            #expect(result.stdout.contains("Demo finished in"))

            let ledger = try SQLiteLedger(path: folder.appendingPathComponent(".agentsched/ledger.sqlite").path)
            let sessions = try await ledger.sessions(in: [])
            #expect(sessions.count { $0.state == .denied } == 1)
            #expect(sessions.count { $0.state == .blocked } == 1)
            let fixed = sessions.filter { $0.state == .completed && $0.outputs.commit != nil }
            #expect(fixed.count >= 4)
            // Every fix landed on its branch: the branch's tests of that issue pass where main's fail.
            let repository = folder.appendingPathComponent("repos/webapp")
            let groups = [101: "slugify", 102: "mean", 103: "shorten", 104: "csv_field"]
            for session in fixed where session.agent == "implementer" {
                let branch = try #require(session.outputs.branch)
                let group = try #require(groups[session.issue])
                let checkout = folder.appendingPathComponent("check-\(session.id)")
                #expect(
                    try await Self.shell("git -C '\(repository.path)' worktree add -q '\(checkout.path)' '\(branch)'")
                        == 0)
                #expect(try await Self.shell("cd '\(repository.path)' && sh test.sh \(group)") != 0)
                #expect(try await Self.shell("cd '\(checkout.path)' && sh test.sh \(group)") == 0)
                let log = try await Self.output("git -C '\(repository.path)' log -1 --format=%an%n%b '\(branch)'")
                #expect(log.hasPrefix("implementer\n"))
                #expect(log.contains("Agentsched-Issue: #\(session.issue)"))
            }
        }

        static func shell(_ command: String) async throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }

        static func output(_ command: String) async throws -> String {
            let process = Process()
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
