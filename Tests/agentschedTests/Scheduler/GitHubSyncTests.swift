import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// `sync` through the built binary against the fake GitHub: review comments that mention
    /// agentsched become follow-ups whose commits land in the same pull request.
    @Suite("agentsched sync: review comments back in as follow-ups")
    struct GitHubSyncTests {
        static let script: [FakeModelStep] =
            GitHubRunTests.fix + [
                .toolCalls([("edit", #"{"path":"NOTES.md","content":"How to call the API.\nWith examples.\n"}"#)]),
                .text("NOTES.md has examples now."),
            ]

        /// Assigns the world's issue, runs it to its draft pull request, and returns that number.
        static func openPullRequest(
            _ world: borrowing GitHubRunTests.World, script: [FakeModelStep] = script
        ) async throws -> Int {
            world.fixture.server.setScript(script, for: "paid")
            try await world.assignIssue()
            let run = try await world.run("run", "--until-idle", "--progress", "none")
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(world.github.pullRequests(in: "acme/api").first?.number)
        }

        @Test("a review that mentions agentsched becomes one follow-up whose commit lands on the same branch")
        func reviewBecomesFollowUp() async throws {
            try await GitHubRunTests.withWorld { world in
                let pull = try await Self.openPullRequest(world)
                world.github.setPermission("write", for: "carol", in: "acme/api")
                let review = world.github.addReview(
                    on: pull, in: "acme/api", author: "carol", body: "@agentsched please add examples")
                world.github.addReviewComment(
                    on: pull, in: "acme/api", review: review, author: "carol", body: "here", path: "NOTES.md")
                world.github.addIssueComment(on: pull, in: "acme/api", author: "carol", body: "thanks, no mention")
                let sync = try await world.run("sync")
                #expect(sync.status == 0, "\(sync.stderr)")
                #expect(sync.stdout == "1 pull request synced, 1 follow-up queued (session 2)\n", "\(sync.stdout)")
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let followUp = try #require(try await world.fixture.ledger().session(2))
                #expect(followUp.state == .completed, "\(followUp.reason ?? "")")
                #expect(followUp.follows == 1)
                #expect(followUp.assigner == "carol")
                #expect(followUp.feedback?.contains("@carol (review comment on NOTES.md:1):\nhere") == true)
                let branch = try #require(followUp.outputs.branch)
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: world.bare)
                        == "How to call the API.\nWith examples.\n")
                #expect(try await TestProcess.git(["rev-list", "--count", "main..\(branch)"], in: world.bare) == "2\n")
                #expect(world.github.pullRequests(in: "acme/api").count == 1)
                #expect(followUp.outputs.pullRequest?.number == pull)
                // Nothing new: no follow-up, and every list answered 304.
                world.github.clearRequests()
                let again = try await world.run("sync")
                #expect(again.stdout == "1 pull request synced, no follow-ups\n", "\(again.stdout)")
                let lists = world.github.requests.filter { $0.path.hasPrefix("/repos/acme/api/") && $0.method == "GET" }
                #expect(!lists.isEmpty)
                #expect(
                    lists.filter { $0.path.contains("/pulls/\(pull)") || $0.path.contains("/issues/\(pull)") }
                        .allSatisfy { $0.status == 304 })
            }
        }

        @Test("mentions from two reviewers become two follow-ups, one after the other, never two on the branch at once")
        func secondReviewerWaitsForTheFirstFollowUp() async throws {
            try await GitHubRunTests.withWorld { world in
                let pull = try await Self.openPullRequest(
                    world,
                    script: Self.script + [
                        .toolCalls([
                            (
                                "edit",
                                #"{"path":"NOTES.md","content":"How to call the API.\nWith examples.\nAnd errors.\n"}"#
                            )
                        ]),
                        .text("NOTES.md covers errors too."),
                    ])
                for user in ["carol", "erin"] { world.github.setPermission("write", for: user, in: "acme/api") }
                world.github.addIssueComment(on: pull, in: "acme/api", author: "carol", body: "@agentsched examples")
                world.github.addIssueComment(on: pull, in: "acme/api", author: "erin", body: "@agentsched errors")
                let first = try await world.run("sync")
                #expect(
                    first.stdout
                        == "1 pull request synced, 1 follow-up queued (session 2), 1 waiting for a session still at "
                        + "work on its branch\n", "\(first.stdout)")
                _ = try await world.run("run", "--until-idle", "--progress", "none")
                let second = try await world.run("sync")
                #expect(second.stdout == "1 pull request synced, 1 follow-up queued (session 3)\n", "\(second.stdout)")
                _ = try await world.run("run", "--until-idle", "--progress", "none")
                let ledger = try world.fixture.ledger()
                let carol = try #require(try await ledger.session(2))
                let erin = try #require(try await ledger.session(3))
                #expect(carol.assigner == "carol" && carol.follows == 1)
                #expect(erin.assigner == "erin" && erin.follows == 2)
                #expect(erin.state == .completed, "\(erin.reason ?? "")")
                let branch = try #require(erin.outputs.branch)
                #expect(try await TestProcess.git(["rev-list", "--count", "main..\(branch)"], in: world.bare) == "3\n")
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: world.bare)
                        == "How to call the API.\nWith examples.\nAnd errors.\n")
                let third = try await world.run("sync")
                #expect(third.stdout == "1 pull request synced, no follow-ups\n", "\(third.stdout)")
            }
        }

        @Test("a follow-up builds on commits a reviewer pushed to the pull request's branch")
        func followUpBuildsOnPushedCommits() async throws {
            try await GitHubRunTests.withWorld { world in
                _ = try await Self.openPullRequest(world)
                let branch = try #require(try await world.fixture.ledger().session(1)?.outputs.branch)
                // The reviewer pushes a fixup to the branch, as people do on a pull request.
                let checkout = world.fixture.workspace.url.appendingPathComponent("reviewer")
                try await TestProcess.git(
                    ["clone", "-q", "-b", branch, world.bare.path, checkout.path], in: world.bare)
                try "Reviewed.\n".write(
                    to: checkout.appendingPathComponent("REVIEW.md"), atomically: true, encoding: .utf8)
                try await TestProcess.git(["add", "REVIEW.md"], in: checkout)
                try await TestProcess.git(["commit", "-qm", "Review notes"], in: checkout)
                try await TestProcess.git(["push", "-q", "origin", branch], in: checkout)
                let asked = try await world.run("sessions", "follow-up", "1", "Add examples.", "--as", "alice")
                #expect(asked.status == 0, "\(asked.stderr)")
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let followUp = try #require(try await world.fixture.ledger().session(2))
                #expect(followUp.state == .completed, "\(followUp.reason ?? "")")
                #expect(try await TestProcess.git(["show", "\(branch):REVIEW.md"], in: world.bare) == "Reviewed.\n")
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: world.bare)
                        == "How to call the API.\nWith examples.\n")
                #expect(try await TestProcess.git(["rev-list", "--count", "main..\(branch)"], in: world.bare) == "3\n")
            }
        }

        @Test("a mention from a reader is answered once, saying why, and acted on never")
        func readerIsAnsweredOnce() async throws {
            try await GitHubRunTests.withWorld { world in
                let pull = try await Self.openPullRequest(world)
                world.github.setPermission("read", for: "dave", in: "acme/api")
                world.github.addIssueComment(
                    on: pull, in: "acme/api", author: "dave", body: "@agentsched rewrite it all")
                let first = try await world.run("sync")
                #expect(first.stdout.contains("1 comment from users below write answered"), "\(first.stdout)")
                _ = try await world.run("sync")
                let replies = world.github.comments(on: pull, in: "acme/api").filter { $0.author == "agentsched-bot" }
                #expect(replies.count == 1)
                #expect(
                    replies.first?.body.hasPrefix("@dave: asking agentsched for changes needs write access") == true)
                #expect(try await world.fixture.ledger().session(2) == nil)
            }
        }

        @Test("two sync processes at once act on each comment exactly once")
        func concurrentSyncsActOnce() async throws {
            try await GitHubRunTests.withWorld { world in
                let pull = try await Self.openPullRequest(world)
                world.github.setPermission("admin", for: "carol", in: "acme/api")
                world.github.addIssueComment(on: pull, in: "acme/api", author: "carol", body: "@agentsched one")
                world.github.addIssueComment(on: pull, in: "acme/api", author: "carol", body: "@agentsched two")
                let environment = RunFixture.environment.merging(["GITHUB_TOKEN": GitHubRunTests.token]) { $1 }
                let processes = try (0..<3).map { _ in
                    try BackgroundAgentsched(["sync"], in: world.fixture.workspace.url, environment: environment)
                }
                for process in processes {
                    let result = try await process.wait()
                    #expect(result.status == 0, "\(result.stderr)")
                }
                let sessions = try await world.fixture.ledger().sessions(in: [])
                #expect(sessions.count { $0.follows == 1 } == 1)
                #expect(sessions.first { $0.follows == 1 }?.feedback?.contains("@agentsched two") == true)
            }
        }
    }
}
