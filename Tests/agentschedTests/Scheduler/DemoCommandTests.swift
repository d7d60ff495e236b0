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
                    try TestCommand.run(["git", "worktree", "add", "-q", checkout.path, branch], in: repository).status
                        == 0)
                #expect(try TestCommand.run(["sh", "test.sh", group], in: repository).status != 0)
                #expect(try TestCommand.run(["sh", "test.sh", group], in: checkout).status == 0)
                let log = try TestCommand.run(["git", "log", "-1", "--format=%an%n%b", branch], in: repository).output
                #expect(log.hasPrefix("implementer\n"))
                #expect(log.contains("Agentsched-Issue: #\(session.issue)"))
            }
        }
    }
}
