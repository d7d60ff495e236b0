import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// `sessions follow-up` offline, through the built binary: a local pull request, new
    /// instructions, and a new session whose commit lands on the same branch.
    @Suite("agentsched sessions follow-up, offline")
    struct FollowUpTests {
        static let script: [FakeModelStep] = [
            .toolCalls([("edit", #"{"path":"NOTES.md","content":"first\n"}"#)]),
            .text("Added NOTES.md."),
            // The follow-up reads what the first session wrote: it starts from the branch's head.
            .toolCalls([("read", #"{"path":"NOTES.md"}"#)]),
            .toolCalls([("edit", #"{"path":"NOTES.md","content":"first\nsecond\n"}"#)]),
            .text("NOTES.md now says more."),
        ]

        @Test("a follow-up continues the branch from its head, lands its commit there, and joins the pull request")
        func followUpLandsOnTheSameBranch() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(Self.script, for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let first = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(first.status == 0, "\(first.stderr)")
                #expect(first.stdout.contains("pull request #1 local:acme/webapp#1"), "\(first.stdout)")

                let asked = try await fixture.run(
                    "sessions", "follow-up", "1", "Say more in NOTES.md.", "--as", "alice")
                #expect(asked.status == 0, "\(asked.stderr)")
                #expect(asked.stdout == "session 2 queued to follow up session 1; agentsched run starts it\n")
                // One session on a branch at a time: a second request waits for the first to finish.
                let twice = try await fixture.run("sessions", "follow-up", "1", "And more.", "--as", "alice")
                #expect(twice.status == 1)
                #expect(
                    twice.stderr
                        == "error: session 2 is already queued on agentsched/1-implementer-1; follow up once it has "
                        + "finished\n")
                let second = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(second.status == 0, "\(second.stderr)")

                let ledger = try fixture.ledger()
                let followUp = try #require(try await ledger.session(2))
                #expect(followUp.state == .completed, "\(followUp.reason ?? "")")
                #expect(followUp.follows == 1)
                let branch = try #require(try await ledger.session(1)?.outputs.branch)
                #expect(followUp.outputs.branch == branch)
                #expect(followUp.outputs.pullRequest?.number == 1)
                #expect(try await ledger.pullRequest(repository: "acme/webapp", number: 1)?.latestSession == 2)
                let repository = fixture.workspace.url.appendingPathComponent("repos/webapp")
                #expect(try await TestProcess.git(["show", "\(branch):NOTES.md"], in: repository) == "first\nsecond\n")
                let log = try await TestProcess.git(["log", "--format=%s", "HEAD..\(branch)"], in: repository)
                #expect(log.split(separator: "\n").count == 2, "\(log)")
                // Its task: the issue, what session 1 did, and the new instructions.
                let requests = server.requests(for: "paid").map { String(decoding: $0.body, as: UTF8.self) }
                #expect(requests.count == 5)
                #expect(requests[2].contains("Say more in NOTES.md."))
                #expect(requests[2].contains("Added NOTES.md."))
                #expect(requests[3].contains("first"), "the follow-up read the branch's NOTES.md")
                let list = try await fixture.run("sessions", "list", "--format", "json")
                let listed = try #require(
                    try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
                let entry = try #require(listed.first { $0["id"] as? Int == 2 })
                #expect(entry["follows"] as? Int == 1)
                #expect((entry["pull_request"] as? [String: Any])?["url"] as? String == "local:acme/webapp#1")
                let show = try await fixture.run("sessions", "show", "2")
                #expect(show.stdout.contains("follows      session 1"), "\(show.stdout)")
                #expect(show.stdout.contains("pull request #1 local:acme/webapp#1"), "\(show.stdout)")
                let usage = try await fixture.run("usage", "--by", "session")
                // Charged like any session: a row of its own, 1 premium request.
                let rows = usage.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(rows.contains { $0.first == "2" && $0.last == "1" }, "\(usage.stdout)")
            }
        }

        @Test("a follow-up is refused, with one line, for a reader, an unfinished or unknown session, or no branch")
        func refusals() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.text("Nothing to change.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let queued = try await fixture.run("sessions", "follow-up", "1", "More.", "--as", "alice")
                #expect(queued.status == 1)
                #expect(queued.stderr == "error: session 1 is still queued; follow up once it has finished\n")
                _ = try await fixture.run("run", "--until-idle", "--progress", "none")
                let nothing = try await fixture.run("sessions", "follow-up", "1", "More.", "--as", "alice")
                #expect(nothing.stderr == "error: session 1 left no branch to continue (it committed nothing)\n")
                let unknown = try await fixture.run("sessions", "follow-up", "9", "More.", "--as", "alice")
                #expect(unknown.stderr == "error: no session 9\n")
                let empty = try await fixture.run("sessions", "follow-up", "1", "  ", "--as", "alice")
                #expect(empty.status == 64)
            }
        }

        @Test("a reader may not ask for a follow-up")
        func readerIsRefused() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(Array(FollowUpTests.script.prefix(2)), for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                _ = try await fixture.run("run", "--until-idle", "--progress", "none")
                let reader = try await fixture.run("sessions", "follow-up", "1", "More.", "--as", "bob")
                #expect(reader.status == 1)
                #expect(
                    reader.stderr
                        == "error: bob's role in acme/webapp is read; a follow-up needs write or above\n")
                #expect(try await fixture.ledger().session(2) == nil)
            }
        }
    }
}
