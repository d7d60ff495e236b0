import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// `run` workers on several hosts sharing one PostgreSQL ledger over TCP: each host a network
    /// namespace with its own address (or, where namespaces cannot be made, a process on 127.0.0.1,
    /// said in the output).
    @Suite(
        "agentsched run on several hosts sharing one PostgreSQL ledger",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    struct MultiHostTests {
        static let readReadme = FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)])

        /// Where the hosts' workers run.
        enum Placement: Sendable {
            case namespaces(HostNamespaces)
            case loopback

            /// Where the hosts reach the database and the model server.
            var serverAddress: String {
                switch self {
                case .namespaces(let made): made.hosts[0].gateway
                case .loopback: "127.0.0.1"
                }
            }

            /// Starts `agentsched ARGUMENTS` on host `index`.
            func start(
                host index: Int, _ arguments: [String], in folder: URL, environment: [String: String]
            ) throws -> BackgroundAgentsched {
                switch self {
                case .namespaces(let made):
                    return try BackgroundAgentsched(
                        made.prefix(on: made.hosts[index]) + [AgentschedProcess.executable.path] + arguments,
                        in: folder,
                        environment: environment, executable: URL(fileURLWithPath: HostNamespaces.ip))
                case .loopback:
                    return try BackgroundAgentsched(arguments, in: folder, environment: environment)
                }
            }

            /// Kills host `index` at once: every process in its namespace, or its one worker.
            func kill(host index: Int, worker: BackgroundAgentsched) async throws {
                switch self {
                case .namespaces(let made): try await made.killEverything(in: made.hosts[index])
                case .loopback: worker.signal(SIGKILL)
                }
                _ = try await worker.wait()
            }
        }

        /// Runs `body` with two hosts and the URL of a fresh database they all reach over TCP.
        ///
        /// With namespaces, the database is a cluster of its own listening on the hosts' links
        /// and trusting only the test's /24; without, the test server's database on 127.0.0.1.
        static func withHosts(_ body: (Placement, String) async throws -> Void) async throws {
            switch await HostNamespaces.make(count: 2) {
            case .failure(let reason):
                print("◇ multi-host test: no network namespaces (\(reason)); the hosts are processes on 127.0.0.1")
                try await PostgresTestServer.withDatabase { url in try await body(.loopback, url) }
            case .success(let made):
                print(
                    "◇ multi-host test: hosts \(made.hosts.map(\.address).joined(separator: ", ")) in \(made.network)")
                let port = Int.random(in: 55_000...59_000)
                let environment = ProcessInfo.processInfo.environment.merging([
                    "AGENTSCHED_TEST_POSTGRES_PORT": "\(port)",
                    "AGENTSCHED_TEST_POSTGRES_LISTEN": made.hosts.map(\.gateway).joined(separator: ","),
                    "AGENTSCHED_TEST_POSTGRES_TRUST": made.network,
                ]) { $1 }
                let script = AgentschedProcess.packageRoot.appendingPathComponent("scripts/postgres-test-cluster.sh")
                    .path
                let folder = FileManager.default.temporaryDirectory
                var failure: (any Error)?
                do {
                    let started = try await TestProcess.run([script, "start"], in: folder, environment: environment)
                    guard started.status == 0 else {
                        throw AgentschedProcess.Failure(
                            description: "the hosts' database did not start: \(started.errors)")
                    }
                    let server = "postgres://agentsched@\(made.hosts[0].gateway):\(port)/postgres"
                    try await PostgresTestServer.execute("CREATE DATABASE hosts", on: server)
                    try await body(.namespaces(made), "postgres://agentsched@\(made.hosts[0].gateway):\(port)/hosts")
                } catch {
                    failure = error
                }
                _ = try? await TestProcess.run([script, "stop"], in: folder, environment: environment)
                await made.remove()
                if let failure { throw failure }
            }
        }

        /// Runs `body` with the ledger at `url`, on the database's clock as the workers read it.
        static func read<T: Sendable>(_ url: String, _ body: (PostgresLedger) async throws -> T) async throws -> T {
            try await PostgresLedger.withLedger(try PostgresLedgerConfiguration(url: url, environment: [:])) {
                try await body($0)
            }
        }

        @Test(
            "the budget and the concurrency limit hold across hosts, and a dead host's sessions are finished by another"
        )
        func budgetConcurrencyAndRecovery() async throws {
            try await Self.withHosts { placement, url in
                try await FakeModelServer.withServer(latency: .milliseconds(200), host: placement.serverAddress) {
                    server in
                    server.setScript(
                        Array(repeating: [Self.readReadme, .text("Read the README.")], count: 10).flatMap { $0 },
                        for: "paid")
                    let fixture = try await RunFixture(
                        server: server, policy: RunFixture.policy(budget: 5, sessions: 3, perRepo: 8, perUser: 8))
                    let folder = fixture.workspace.url
                    let file = folder.appendingPathComponent("agentsched.yaml")
                    try (String(contentsOf: file, encoding: .utf8) + "\nledger: { url-env: AGENTSCHED_DATABASE_URL }\n")
                        .write(to: file, atomically: true, encoding: .utf8)
                    var environment = RunFixture.environment
                    environment["AGENTSCHED_DATABASE_URL"] = url
                    func agentsched(_ arguments: String...) async throws -> AgentschedProcess.Result {
                        try await BackgroundAgentsched.run(arguments, in: folder, environment: environment)
                    }
                    let assigned = try await agentsched(
                        "assign", "--repo", "acme/webapp", "--issues", "1,2,3,4,5,6,7,8,9,10", "--title",
                        "Fix the failing test", "--agent", "implementer")
                    #expect(assigned.status == 0, "\(assigned.stderr)")

                    // Two hosts, each allowed 2 sessions at once (4 together), under an organisation limit of 3.
                    let workers = try (0..<2).map { index in
                        try placement.start(
                            host: index,
                            [
                                "run", "--until-idle", "--concurrency", "2", "--progress", "plain", "--state-dir",
                                "host-\(index)",
                            ],
                            in: folder, environment: environment)
                    }
                    for worker in workers {
                        let result = try await worker.wait()
                        #expect(result.status == 0, "\(result.stderr)")
                    }
                    let (sessions, events) = try await Self.read(url) { ledger in
                        (try await ledger.sessions(in: []), try await ledger.events(session: nil, after: 0))
                    }
                    // A budget of 5 premium requests at 1 per session: exactly 5 ran, whichever host ran them.
                    #expect(sessions.count { $0.state == .completed } == 5, "\(sessions.map(\.state))")
                    #expect(sessions.count { $0.state == .blocked } == 5)
                    let claimedBy = Set(events.filter { $0.kind == .sessionClaimed }.compactMap { $0.data["worker"] })
                    #expect(claimedBy.count == 2, "both hosts claimed sessions: \(claimedBy)")
                    var running = 0
                    var most = 0
                    for event in events where event.kind == .sessionState {
                        if event.data["to"] == "running" { running += 1 }
                        if event.data["from"] == "running" { running -= 1 }
                        most = max(most, running)
                    }
                    #expect(most <= 3, "at most 3 sessions of acme ran at once on all hosts together, not \(most)")
                    #expect(most >= 2, "the hosts ran sessions side by side")

                    // A raised budget frees the blocked sessions; host 0 takes work, completes issue 11's
                    // first turn (two files written), and dies in the middle of its second request; host 1
                    // finishes everything after host 0's lease expires, issue 11 from its first turn's end:
                    // the conversation from the ledger, the worktree rebuilt from the checkpoint.
                    try fixture.workspace.write(
                        "policies/acme.yaml", RunFixture.policy(budget: 20, sessions: 3, perRepo: 8, perUser: 8))
                    server.setScript(
                        [
                            .toolCalls([
                                ("edit", #"{"path":"NOTES.md","content":"Written on host 0.\n"}"#),
                                ("edit", ##"{"path":"README.md","content":"# api, edited on host 0\n"}"##),
                            ]),
                            .hang, .text("Finished on the other host."),
                        ], for: "haiku")
                    let queued = try await agentsched(
                        "assign", "--repo", "acme/api", "--issues", "11", "--title", "Survive a dead host", "--agent",
                        "implementer", "--model", "claude-haiku-4.5")
                    #expect(queued.status == 0, "\(queued.stderr)")
                    let doomed = try placement.start(
                        host: 0,
                        [
                            "run", "--until-idle", "--lease-seconds", "2", "--progress", "plain", "--state-dir",
                            "host-0",
                        ],
                        in: folder, environment: environment)
                    let asked = ContinuousClock.now
                    while server.requests(for: "haiku").count < 2, ContinuousClock.now - asked < .seconds(60) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let repository = fixture.workspace.url.appendingPathComponent("repos/api")
                    let checkpointed = try await Self.checkpointRefs(in: repository)
                    #expect(checkpointed.count == 1, "host 0 checkpointed its first turn: \(checkpointed)")
                    try await placement.kill(host: 0, worker: doomed)
                    try await PostgresRunTests.waitForLeasesToExpire(url)
                    let survivor = try placement.start(
                        host: 1,
                        [
                            "run", "--until-idle", "--lease-seconds", "2", "--progress", "plain", "--state-dir",
                            "host-1",
                        ],
                        in: folder, environment: environment)
                    let finished = try await survivor.wait()
                    #expect(finished.status == 0, "\(finished.stderr)")
                    let (after, charges) = try await Self.read(url) { ledger in
                        let after = try await ledger.sessions(in: [])
                        var charges: [SessionID: Int] = [:]
                        for session in after {
                            charges[session.id] = try await ledger.charges(session: session.id).count
                        }
                        return (after, charges)
                    }
                    #expect(after.allSatisfy { $0.state == .completed }, "\(after.map(\.state)): \(finished.stdout)")
                    let survived = try #require(after.first { $0.issue == 11 })
                    let story = try await Self.read(url) { try await $0.events(session: survived.id, after: 0) }
                    let claimers = story.filter { $0.kind == .sessionClaimed }.compactMap { $0.data["worker"] }
                    #expect(
                        Set(claimers).count == 2,
                        "issue 11 was claimed by the dead host, then by the survivor: \(claimers)")
                    #expect(story.contains { $0.kind == .sessionState && $0.data["to"] == "interrupted" })
                    #expect(
                        story.contains { $0.data["reason"] == "resumed from its last complete turn" },
                        "issue 11 resumed, not started over")
                    // Host 1 asked once, with host 0's first turn in the conversation; the branch holds
                    // what host 0 wrote, and the checkpoint ref is gone.
                    let asks = server.requests(for: "haiku").map { String(decoding: $0.body, as: UTF8.self) }
                    #expect(asks.count == 3, "two requests from host 0, one from host 1: \(asks.count)")
                    #expect(asks.last?.contains("Written on host 0.") == true, "host 1 continued the conversation")
                    let branch = try #require(survived.outputs.branch)
                    let notes = try await TestProcess.git(["show", "\(branch):NOTES.md"], in: repository)
                    #expect(notes == "Written on host 0.\n")
                    let readme = try await TestProcess.git(["show", "\(branch):README.md"], in: repository)
                    #expect(readme == "# api, edited on host 0\n")
                    #expect(try await Self.checkpointRefs(in: repository).isEmpty, "the checkpoint ref was deleted")
                    #expect(
                        charges.values.allSatisfy { $0 == 1 },
                        "each session charged once, reclaims included: \(charges)")
                    let check = try await agentsched("ledger", "check")
                    #expect(check.status == 0, "\(check.stderr)")
                }
            }
        }

        /// The checkpoint refs in `repository`.
        static func checkpointRefs(in repository: URL) async throws -> [String] {
            try await TestProcess.git(["for-each-ref", "--format=%(refname)", "refs/agentsched/"], in: repository)
                .split(separator: "\n").map(String.init)
        }
    }
}
