import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched demo, end to end")
    struct DemoCommandTests {
        /// How the demo is started: which binary, from which folder, with which content.
        enum Start: String, CaseIterable, CustomTestStringConvertible {
            /// The built binary copied alone into an empty folder outside any checkout, run from
            /// another empty folder: only what is compiled into it can serve.
            case copiedBinaryFromEmptyFolder
            /// The built binary with `--workspace` naming the package's own examples.
            case explicitWorkspace

            var testDescription: String {
                switch self {
                case .copiedBinaryFromEmptyFolder: "the binary copied alone, run from an empty folder with no checkout"
                case .explicitWorkspace: "--workspace naming the source folder, run from elsewhere"
                }
            }
        }

        @Test(
            "demo runs offline: a denial, a budget block, fixed bugs on committed branches, and a usage report",
            arguments: Start.allCases)
        func demo(_ start: Start) async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-demo-\(UUID())")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let folder = scratch.appendingPathComponent("demo")
            let elsewhere = scratch.appendingPathComponent("elsewhere")
            let bin = scratch.appendingPathComponent("bin")
            for made in [elsewhere, bin] {
                try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
            }
            var executable = AgentschedProcess.executable
            var arguments = ["demo", "--into", folder.path]
            switch start {
            case .copiedBinaryFromEmptyFolder:
                executable = bin.appendingPathComponent("agentsched")
                try FileManager.default.copyItem(at: AgentschedProcess.executable, to: executable)
                #expect(DemoCommandTests.examplesAbove(elsewhere) == nil)
                // The demo is compiled in: agentsched's own targets have no SwiftPM resource bundle,
                // which Linux looks for beside the executable or at its absolute build path.
                let built = try FileManager.default.contentsOfDirectory(
                    atPath: AgentschedProcess.executable.deletingLastPathComponent().path)
                #expect(built.filter { $0.hasPrefix("agentsched_") && $0.hasSuffix(".resources") } == [])
            case .explicitWorkspace:
                arguments += ["--workspace", AgentschedProcess.packageRoot.path]
            }
            let result = try await BackgroundAgentsched.run(arguments, in: elsewhere, executable: executable)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("denied: dave's role in acme/webapp is triage"))
            #expect(result.stdout.contains("queued → blocked (the budget of organisation acme is used up"))
            #expect(result.stdout.contains("== usage --by org,user,agent,model =="))
            // initech is billed in AI credits, beside acme's premium requests.
            #expect(result.stdout.contains("AI CREDITS"))
            #expect(result.stdout.contains("org:initech@ai-credits"))
            #expect(result.stdout.contains("Demo finished in"))
            let source =
                start == .explicitWorkspace ? AgentschedProcess.packageRoot.path : "the demo built into agentsched"
            #expect(result.stdout.contains("from the example team and policies of \(source):"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == [])

            let ledger = try SQLiteLedger(path: folder.appendingPathComponent(".agentsched/ledger.sqlite").path)
            let sessions = try await ledger.sessions(in: [])
            #expect(sessions.count { $0.state == .denied } == 1)
            // #104 was blocked by the budget, then ran once the review round raised it.
            #expect(sessions.count { $0.state == .blocked } == 0)
            #expect(result.stdout.contains("blocked → queued (budget available again)"))
            // The review round: one follow-up of #102 on its branch, in its pull request.
            let followUp = try #require(sessions.first { $0.follows != nil })
            let followed = try #require(sessions.first { $0.id == followUp.follows })
            #expect(followUp.state == .completed)
            #expect(followed.issue == 102)
            #expect(followUp.outputs.branch == followed.outputs.branch)
            #expect(followUp.outputs.pullRequest == followed.outputs.pullRequest)
            #expect(result.stdout.contains("follows      session \(followed.id)"))
            let pulls = try await ledger.pullRequests(repository: nil, openOnly: true)
            #expect(pulls.count == sessions.count { $0.follows == nil && $0.outputs.commit != nil })
            let credits = sessions.filter { $0.org == "initech" }
            #expect(credits.map(\.issue).sorted() == [101, 105, 107])
            #expect(credits.allSatisfy { $0.state == .completed })
            for session in credits {
                let charges = try await ledger.charges(session: session.id)
                #expect(!charges.isEmpty && charges.allSatisfy { $0.amount.unit == .aiCredits && $0.tokens.input > 0 })
            }
            #expect(pulls.allSatisfy { $0.base == "main" })
            let fixed = sessions.filter { $0.state == .completed && $0.outputs.commit != nil && $0.follows == nil }
            #expect(fixed.count >= 4)
            // Every fix landed on its branch: the branch's tests of that issue pass where main's fail.
            let repository = folder.appendingPathComponent("repos/webapp")
            let groups = [101: "slugify", 102: "mean", 103: "shorten", 104: "csv_field"]
            for session in fixed where session.agent == "implementer" {
                let branch = try #require(session.outputs.branch)
                let group = try #require(groups[session.issue])
                let checkout = folder.appendingPathComponent("check-\(session.id)")
                try await TestProcess.git(["worktree", "add", "-q", checkout.path, branch], in: repository)
                #expect(try await TestProcess.run(["sh", "test.sh", group], in: repository).status != 0)
                #expect(try await TestProcess.run(["sh", "test.sh", group], in: checkout).status == 0)
                let log = try await TestProcess.git(["log", "-1", "--format=%an%n%b", branch], in: repository)
                #expect(log.hasPrefix("implementer\n"))
                #expect(log.contains("Agentsched-Issue: #\(session.issue)"))
            }
        }

        @Test("--workspace naming a folder without the demo's content fails with one line and builds nothing")
        func workspaceWithoutContent() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-demo-\(UUID())")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let empty = scratch.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            let folder = scratch.appendingPathComponent("demo")
            let result = try await BackgroundAgentsched.run(
                ["demo", "--into", folder.path, "--workspace", empty.path], in: empty)
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(
                result.stderr
                    == "error: no examples/demo in \(empty.path) or above; --workspace must name a folder that holds "
                    + "agents/, policies/ and examples/demo/ (leave it out to use the demo built into agentsched)\n")
            #expect(!FileManager.default.fileExists(atPath: folder.path))
        }

        /// The nearest folder at or above `start` that holds `examples/demo`, as a checkout would.
        static func examplesAbove(_ start: URL) -> URL? {
            var folder = start.standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("examples/demo").path) {
                    return folder
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { return nil }
                folder = parent
            }
        }
    }
}
