import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched run, end to end against a fake model server")
    struct RunCommandTests {
        static let readReadme = FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)])

        @Test(
            "assign, run and usage: sessions complete over real HTTP, are charged per session, and the key stays secret"
        )
        func assignRunUsage() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.readReadme, .text("Read the README; nothing to fix.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                let assigned = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "1,2,3", "--title", "Fix the failing test",
                    "--agent", "implementer")
                #expect(assigned.status == 0)
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("queued → running"))
                #expect(run.stdout.contains("3 sessions: 3 completed; 3 premium requests charged."))
                let requests = server.requests(for: "paid")
                #expect(requests.count >= 4)
                #expect(requests.allSatisfy { $0.header("authorization") == "Bearer \(RunFixture.key)" })

                let usage = try await fixture.run("usage", "--by", "agent", "--format", "csv")
                #expect(usage.stdout.contains("implementer,3,\(requests.count),3"), "\(usage.stdout)")
                let ledger = try fixture.ledger()
                #expect(try await ledger.openReservations().isEmpty)
                let events = try await ledger.events(session: nil, after: 0)
                #expect(!events.contains { $0.data.values.contains { $0.contains(RunFixture.key) } })
                let logs = try await fixture.run("sessions", "logs", "1")
                #expect(logs.stdout.contains("tool.call") || logs.stdout.contains("model.response"))
                #expect(!logs.stdout.contains(RunFixture.key))
                let show = try await fixture.run("sessions", "show", "1")
                #expect(show.stdout.contains("state        completed"))
            }
        }

        @Test("concurrency limits of the organisation, repository and user are never exceeded")
        func concurrencyLimits() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(150)) { server in
                server.setScript(Array(repeating: Self.readReadme, count: 12), for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(budget: 100, sessions: 3, perRepo: 2, perUser: 2))
                let batches = [
                    ("acme/webapp", "alice", "1,2,3"), ("acme/api", "alice", "1,2,3"),
                    ("acme/webapp", "carol", "4,5,6"),
                ]
                for (repository, user, issues) in batches {
                    let assigned = try await fixture.run(
                        "assign", "--repo", repository, "--issues", issues, "--title", "Fix the failing test",
                        "--agent", "implementer", "--as", user)
                    #expect(assigned.status == 0)
                }
                let run = try await fixture.run("run", "--until-idle", "--concurrency", "10", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let sessions = try await ledger.sessions(in: [])
                #expect(sessions.allSatisfy { $0.state == .completed })
                let peaks = try await Self.peakRunning(ledger)
                #expect(peaks.org == 3)
                #expect(peaks.repository <= 2)
                #expect(peaks.user <= 2)
            }
        }

        @Test("fair share: users take turns, and within a user the higher routing priority goes first")
        func fairShare() async throws {
            try await FakeModelServer.withServer { server in
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100, sessions: 1))
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues", "1,2,3", "--title", "Fix the failing test",
                        "--agent", "implementer", "--as",
                        "alice"
                    ).status == 0)
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues", "4", "--title", "Fix the failing test",
                        "--agent", "test-writer", "--as", "alice"
                    ).status == 0)
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues", "5,6,7", "--title", "Fix the failing test",
                        "--agent", "implementer", "--as",
                        "carol"
                    ).status == 0)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let order = try await Self.startOrder(try fixture.ledger())
                #expect(order.map(\.assigner) == ["alice", "carol", "alice", "carol", "alice", "carol", "alice"])
                #expect(order.map(\.issue) == [4, 5, 1, 6, 2, 7, 3])
            }
        }

        @Test(
            "several run processes on one workspace charge exactly what a budget smaller than the work allows",
            arguments: [2, 4])
        func processesShareABudget(processes: Int) async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(50)) { server in
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 5))
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues", "1,2,3,4,5,6,7,8,9,10,11,12", "--title",
                        "Fix the failing test", "--agent",
                        "implementer"
                    ).status == 0)
                let runs = try (0..<processes).map { _ in
                    try fixture.start("run", "--until-idle", "--concurrency", "3", "--progress", "none")
                }
                for run in runs {
                    let result = try await run.wait()
                    #expect(result.status == 0, "\(result.stderr)")
                }
                let ledger = try fixture.ledger()
                let charges = try await ledger.charges(from: .distantPast, until: .distantFuture, org: "acme")
                #expect(charges.reduce(Amount.zero(.premiumRequests)) { $0 + $1.amount } == PremiumRequests(5).amount)
                let sessions = try await ledger.sessions(in: [])
                #expect(sessions.count { $0.state == .completed } == 5)
                #expect(sessions.count { $0.state == .blocked } == 7)
                #expect(
                    sessions.filter { $0.state == .blocked }.allSatisfy {
                        $0.reason?.contains("organisation acme") == true
                    }
                )
                #expect(try await ledger.openReservations().isEmpty)
            }
        }

        @Test("a 429 storm makes the session throttled, then it recovers and completes")
        func rateLimitStorm() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    Array(repeating: .rateLimited(retryAfter: .milliseconds(200)), count: 4) + [.text("Fixed it.")],
                    for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("running → throttled"))
                #expect(run.stdout.contains("throttled → running"))
                let session = try #require(try await fixture.ledger().session(1))
                #expect(session.state == .completed)
                #expect(server.attempts(for: "paid") == 5)
            }
        }

        @Test("permissions are checked again when the session starts: a role removed after assign denies it")
        func deniedAtAdmission() async throws {
            try await FakeModelServer.withServer { server in
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                try fixture.workspace.write(
                    "policies/acme.yaml", RunFixture.policy(budget: 10, roles: "{ bob: read, carol: admin }"))
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await fixture.ledger().session(1))
                #expect(session.state == .denied)
                #expect(session.reason == "alice has no role in acme/webapp (policy acme); write is needed")
                #expect(server.requests(for: "paid").isEmpty)
            }
        }

        @Test("per-request charging with on-exhausted fallback: paid turns, then the free fallback model, no block")
        func fallbackMidSession() async throws {
            try await FakeModelServer.withServer { server in
                let steps: [FakeModelStep] = [
                    .toolCalls([("edit", #"{"path":"NOTES.md","content":"started on the paid model\n"}"#)]),
                    Self.readReadme, Self.readReadme, .text("Done."),
                ]
                server.setConversationScript(steps, for: "paid")
                server.setConversationScript(steps, for: "free")
                let fixture = try await RunFixture(
                    server: server,
                    policy: RunFixture.policy(charging: "per-request", budget: 2, onExhausted: "fallback"))
                try await fixture.assignOne()
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == .completed)
                #expect(session.actualModel == "gpt-4.1")
                let charges = try await ledger.charges(session: 1)
                #expect(
                    charges.filter { $0.context.actualModel == "claude-sonnet-4.5" }.map(\.amount.premiumRequests) == [
                        PremiumRequests(1), PremiumRequests(1),
                    ])
                #expect(charges.filter { $0.context.actualModel == "gpt-4.1" }.allSatisfy { $0.amount.minorUnits == 0 })
                #expect(server.requests(for: "paid").count == 2)
                #expect(server.requests(for: "free").count >= 1)
                // One commit for the whole session, made when it ended, not when it switched models.
                let repository = fixture.workspace.url.appendingPathComponent("repos/webapp")
                let branch = try #require(session.outputs.branch)
                let log = try await TestProcess.git(["log", "--format=%s%n%b", "HEAD..\(branch)"], in: repository)
                #expect(log.components(separatedBy: "Agentsched-Session: 1").count == 2, "\(log)")
                #expect(log.contains("Done."))
                let usage = try await fixture.run("usage", "--by", "model")
                #expect(usage.stdout.contains("claude-sonnet-4.5 → gpt-4.1"))
            }
        }

        @Test("every tool call is checked against the policy as it is now: a role lowered mid-session refuses edit")
        func permissionCheckedBeforeEveryToolCall() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    [
                        .toolCalls([("execute", #"{"command":"sleep 2"}"#)]),
                        .toolCalls([("edit", #"{"path":"NOTES.md","content":"hello"}"#)]),
                        .text("Could not edit."),
                    ], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                try await fixture.waitForToolCall()
                try fixture.workspace.write(
                    "policies/acme.yaml",
                    RunFixture.policy(budget: 10, roles: "{ alice: read, bob: read, carol: admin, dave: triage }"))
                #expect(try await run.wait().status == 0)
                let events = try await fixture.ledger().events(session: 1, after: 0)
                let refused = try #require(events.first { $0.kind == .toolRefused })
                #expect(refused.data["tool"] == "edit")
                #expect(refused.data["reason"] == "alice's role in acme/webapp no longer allows edit")
                #expect(try await fixture.ledger().session(1)?.outputs.commit == nil)  // nothing was written
            }
        }

        // MARK: Reading the ledger

        /// The most sessions running at once, per organisation, repository and user, replayed from the
        /// ledger's state events.
        static func peakRunning(_ ledger: SQLiteLedger) async throws -> (org: Int, repository: Int, user: Int) {
            let sessions = Dictionary(uniqueKeysWithValues: try await ledger.sessions(in: []).map { ($0.id, $0) })
            var org: [String: Int] = [:]
            var repository: [String: Int] = [:]
            var user: [String: Int] = [:]
            var peaks = (org: 0, repository: 0, user: 0)
            for event in try await ledger.events(session: nil, after: 0) where event.kind == .sessionState {
                guard let id = event.session, let session = sessions[id] else { continue }
                let wasActive = ["running", "throttled"].contains(event.data["from"] ?? "")
                let isActive = ["running", "throttled"].contains(event.data["to"] ?? "")
                let change = (isActive ? 1 : 0) - (wasActive ? 1 : 0)
                org[session.org, default: 0] += change
                repository[session.repository, default: 0] += change
                user[session.assigner, default: 0] += change
                peaks.org = max(peaks.org, org[session.org]!)
                peaks.repository = max(peaks.repository, repository[session.repository]!)
                peaks.user = max(peaks.user, user[session.assigner]!)
            }
            return peaks
        }

        /// Sessions in the order they first started running.
        static func startOrder(_ ledger: SQLiteLedger) async throws -> [SessionRecord] {
            let sessions = Dictionary(uniqueKeysWithValues: try await ledger.sessions(in: []).map { ($0.id, $0) })
            return try await ledger.events(session: nil, after: 0)
                .filter { $0.kind == .sessionState && $0.data["to"] == "running" && $0.data["from"] == "queued" }
                .compactMap { $0.session.flatMap { sessions[$0] } }
        }
    }
}
