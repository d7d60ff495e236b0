import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched run: recovery, cancel and steer from other processes, end to end")
    struct RecoveryTests {
        static func execute(_ command: String) -> FakeModelStep {
            .toolCalls([("execute", #"{"command":"\#(command)"}"#)])
        }

        @Test("kill -9 during a batch loses nothing: the next run resumes every session and charges no request twice")
        func killThenResume() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(150)) { server in
                server.setScript(Array(repeating: SchedulerEndToEnd.RunCommandTests.readReadme, count: 40), for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(charging: "per-request", budget: 1000))
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues", "1,2,3,4", "--title", "Fix the failing test",
                        "--agent", "implementer"
                    )
                    .status == 0)
                let first = try fixture.start(
                    "run", "--concurrency", "4", "--lease-seconds", "2", "--progress", "none")
                try await fixture.waitFor("eight charged requests") { ledger in
                    try await ledger.charges(from: .distantPast, until: .distantFuture, org: nil).count >= 8
                }
                first.signal(SIGKILL)
                _ = try await first.wait()
                let ledger = try fixture.ledger()
                #expect(try await ledger.sessions(in: [.running, .throttled]).count > 0)

                try await Task.sleep(for: .milliseconds(2_500))  // the killed worker's lease expires
                let second = try await fixture.run("run", "--until-idle", "--lease-seconds", "2", "--progress", "plain")
                #expect(second.status == 0, "\(second.stderr)")
                #expect(second.stdout.contains("reclaimed the lease"))
                #expect(second.stdout.contains("interrupted → running (resumed from its last complete turn)"))

                let sessions = try await ledger.sessions(in: [])
                #expect(sessions.allSatisfy { $0.state == .completed })
                #expect(try await ledger.openReservations().isEmpty)
                for session in sessions {
                    let conversation = try #require(try await ledger.conversation(session.id))
                    let turns = try conversation.messages.count {
                        try JSONDecoder().decode(ChatMessage.self, from: Data($0.utf8)).role == .assistant
                    }
                    #expect(turns == conversation.turns)
                    let charges = try await ledger.charges(session: session.id)
                    #expect(
                        charges.count == turns, "session \(session.id): \(charges.count) charges for \(turns) turns")
                }
            }
        }

        @Test("Ctrl-C drains: running sessions become interrupted with nothing held, and the next run finishes them")
        func gracefulDrain() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.execute("sleep 3"), .text("Done.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--progress", "plain")
                try await fixture.waitForToolCall()
                run.signal(SIGINT)
                let result = try await run.wait()
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("running → interrupted"))
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .interrupted)
                #expect(try await ledger.openReservations().isEmpty)

                let again = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(again.status == 0, "\(again.stderr)")
                #expect(try await ledger.session(1)?.state == .completed)
                let charges = try await ledger.charges(session: 1)
                #expect(charges.map(\.amount.premiumRequests) == [PremiumRequests(1)])
            }
        }

        @Test(
            "sessions cancel from another process stops a running session, charges what it consumed, keeps its worktree"
        )
        func cancelFromAnotherProcess() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.execute("sleep 30")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                try await fixture.waitForToolCall()
                let started = ContinuousClock.now
                let cancel = try await fixture.run("sessions", "cancel", "1", "--wait", "5")
                let took = ContinuousClock.now - started
                #expect(cancel.status == 0, "\(cancel.stderr)")
                #expect(cancel.stdout.hasPrefix("session 1 cancelled; worktree kept at "))
                #expect(took < .seconds(25), "the sleep lasts 30 s")
                #expect(try await run.wait().status == 0)

                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == .cancelled)
                #expect(try await ledger.openReservations().isEmpty)
                // One model request succeeded before the cancel: the session charge is committed.
                #expect(try await ledger.charges(session: 1).map(\.amount.premiumRequests) == [PremiumRequests(1)])
                let worktree = try #require(session.outputs.worktree)
                #expect(FileManager.default.fileExists(atPath: worktree + "/README.md"))
            }
        }

        @Test(
            "sessions steer from another process reaches the model after the current tool call, charged 1 × multiplier")
        func steerFromAnotherProcess() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.execute("sleep 2"), .text("Done, changelog too.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                try await fixture.waitForToolCall()
                let steer = try await fixture.run("sessions", "steer", "1", "Also update the changelog.")
                #expect(steer.status == 0, "\(steer.stderr)")
                #expect(try await run.wait().status == 0)

                let requests = server.requests(for: "paid")
                #expect(requests.count == 2)
                let second = String(decoding: try #require(requests.last).body, as: UTF8.self)
                #expect(second.contains("Also update the changelog."))
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .completed)
                let charges = try await ledger.charges(session: 1)
                #expect(charges.map(\.context.kind).sorted { $0.rawValue < $1.rawValue } == [.session, .steering])
                #expect(charges.reduce(Amount.zero(.premiumRequests)) { $0 + $1.amount } == PremiumRequests(2).amount)
                let logs = try await fixture.run("sessions", "logs", "1")
                #expect(logs.stdout.contains("session.steered"))
            }
        }

        @Test("sessions logs --follow tails a session running in another process until it ends")
        func followLogs() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.execute("sleep 1"), .text("Finished.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                let follow = try await fixture.run("sessions", "logs", "1", "--follow")
                #expect(follow.status == 0)
                let lines = follow.stdout.split(separator: "\n")
                #expect(lines.first?.contains("session.created") == true)
                #expect(lines.last?.contains("to=completed") == true)
                #expect(try await run.wait().status == 0)
            }
        }
    }
}
