import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// `run` and the reports with the ledger in PostgreSQL (`ledger.url-env`), through the built
    /// binary: workers with their own state folders share one database and one budget.
    @Suite(
        "agentsched on a PostgreSQL ledger, end to end",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    struct PostgresRunTests {
        static let readReadme = FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)])
        /// Sent in the URL: the test server trusts loopback, so any password connects, and none
        /// may ever be printed.
        static let password = "pw-9d81c3e7-never-printed"

        /// `url` with `password` in it, as a user would write it.
        static func withPassword(_ url: String) -> String {
            url.replacingOccurrences(of: "://agentsched@", with: "://agentsched:\(password)@")
        }

        /// Runs `agentsched ARGUMENTS` in the fixture's workspace with the database's URL in
        /// `AGENTSCHED_DATABASE_URL`, which agentsched.yaml names.
        static func run(
            _ fixture: borrowing RunFixture, url: String, _ arguments: String...
        ) async throws -> AgentschedProcess.Result {
            try await run(in: fixture.workspace.url, url: url, arguments)
        }

        static func run(in folder: URL, url: String, _ arguments: [String]) async throws -> AgentschedProcess.Result {
            var environment = RunFixture.environment
            environment["AGENTSCHED_DATABASE_URL"] = url
            return try await BackgroundAgentsched.run(arguments, in: folder, environment: environment)
        }

        /// Waits (polling the database's own clock) until no worker holds a live lease: a killed
        /// worker's sessions can be reclaimed from then on. Fails after `seconds`.
        static func waitForLeasesToExpire(_ url: String, seconds: Double = 30) async throws {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                let rows = try await PostgresTestServer.execute(
                    "SELECT count(*) FROM workers WHERE ended_at IS NULL AND lease_expires_at >= now()", on: url)
                if try rows.first?.decode(Int64.self) == 0 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("a worker's lease was still live after \(seconds) s")
        }

        static func useDatabase(_ fixture: borrowing RunFixture) throws {
            let file = fixture.workspace.url.appendingPathComponent("agentsched.yaml")
            try (String(contentsOf: file, encoding: .utf8) + "\nledger: { url-env: AGENTSCHED_DATABASE_URL }\n").write(
                to: file, atomically: true, encoding: .utf8)
        }

        @Test(
            "two workers with their own state folders share the database's budget exactly, and no ledger file or password appears"
        )
        func workersShareOneBudget() async throws {
            try await PostgresTestServer.withDatabase { database in
                let url = Self.withPassword(database)
                try await FakeModelServer.withServer(latency: .milliseconds(50)) { server in
                    server.setScript(
                        Array(repeating: [Self.readReadme, .text("Read the README.")], count: 8).flatMap { $0 },
                        for: "paid")
                    let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 3))
                    try Self.useDatabase(fixture)
                    let assigned = try await Self.run(
                        fixture, url: url, "assign", "--repo", "acme/webapp", "--issues", "1,2,3,4,5,6", "--title",
                        "Fix the failing test", "--agent", "implementer")
                    #expect(assigned.status == 0, "\(assigned.stderr)")
                    let folder = fixture.workspace.url
                    async let first = Self.run(
                        in: folder, url: url, ["run", "--until-idle", "--progress", "plain", "--state-dir", "host-a"])
                    async let second = Self.run(
                        in: folder, url: url, ["run", "--until-idle", "--progress", "plain", "--state-dir", "host-b"])
                    let runs = try await [first, second]
                    for run in runs { #expect(run.status == 0, "\(run.stderr)") }

                    let json = try await Self.run(fixture, url: url, "sessions", "list", "--format", "json")
                    let sessions = try #require(
                        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
                    let states = sessions.compactMap { $0["state"] as? String }
                    // A budget of 3 premium requests, 1 per session: exactly 3 ran, whichever host ran them.
                    #expect(states.filter { $0 == "completed" }.count == 3, "\(states)")
                    #expect(states.filter { $0 == "blocked" }.count == 3, "\(states)")
                    let usage = try await Self.run(fixture, url: url, "usage", "--by", "org", "--format", "csv")
                    #expect(usage.stdout.contains("acme,3,"), "\(usage.stdout)")
                    let check = try await Self.run(fixture, url: url, "ledger", "check")
                    #expect(check.status == 0, "\(check.stderr)")
                    #expect(check.stdout.contains("every invariant holds"))

                    for folder in ["host-a", "host-b", ".agentsched"] {
                        let ledgerFile = fixture.workspace.url.appendingPathComponent("\(folder)/ledger.sqlite")
                        #expect(!FileManager.default.fileExists(atPath: ledgerFile.path), "\(folder) has a ledger file")
                    }
                    for output in runs + [assigned, json, usage, check] {
                        #expect(!(output.stdout + output.stderr).contains(Self.password))
                        #expect(!(output.stdout + output.stderr).contains(database))
                    }
                }
            }
        }

        /// `git for-each-ref` listing agentsched's refs: the checkpoints a repository keeps.
        static let checkpointRefs = ["for-each-ref", "--format=%(refname)", "refs/agentsched/"]

        /// What `withSessionKilledMidTurn` hands its body: where the commands run, with what, and
        /// `run` up to its `--state-dir` (each host adds its own folder).
        struct KilledSession {
            var database: String
            var environment: [String: String]
            var folder: URL
            var worker: [String]

            /// Runs `agentsched ARGUMENTS` in the workspace with the token and the database's URL.
            func run(_ arguments: [String]) async throws -> AgentschedProcess.Result {
                try await BackgroundAgentsched.run(arguments, in: folder, environment: environment)
            }

            /// Assigns `issue` of acme/api to the implementer.
            func assign(_ issue: Int) async throws {
                let assigned = try await run(
                    ["assign", "--repo", "acme/api", "--issues", "\(issue)", "--agent", "implementer"])
                #expect(assigned.status == 0, "\(assigned.stderr)")
            }
        }

        /// A GitHub world on a PostgreSQL ledger where session 1 (the world's issue) wrote NOTES.md
        /// in its first turn on host a, whose worker was killed by SIGKILL while its second request
        /// hung, after the first turn's checkpoint reached GitHub. The model answers `lastAnswer`
        /// to the next request.
        static func withSessionKilledMidTurn(
            lastAnswer: String, _ body: (borrowing GitHubRunTests.World, KilledSession) async throws -> Void
        ) async throws {
            try await PostgresTestServer.withDatabase { database in
                try await GitHubRunTests.withWorld { world in
                    try Self.useDatabase(world.fixture)
                    let server = world.fixture.server
                    server.setScript(
                        [
                            .toolCalls([("edit", #"{"path":"NOTES.md","content":"How to call the API.\n"}"#)]),
                            .hang, .text(lastAnswer),
                        ], for: "paid")
                    var environment = RunFixture.environment
                    environment["GITHUB_TOKEN"] = GitHubRunTests.token
                    environment["AGENTSCHED_DATABASE_URL"] = database
                    let killed = KilledSession(
                        database: database, environment: environment, folder: world.fixture.workspace.url,
                        worker: ["run", "--until-idle", "--lease-seconds", "2", "--progress", "plain", "--state-dir"])
                    try await killed.assign(world.issue)
                    let doomed = try BackgroundAgentsched(
                        killed.worker + ["host-a"], in: killed.folder, environment: environment)
                    let asked = ContinuousClock.now
                    while server.requests(for: "paid").count < 2, ContinuousClock.now - asked < .seconds(60) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(
                        try await TestProcess.git(checkpointRefs, in: world.bare) == "refs/agentsched/checkpoints/1\n",
                        "the first turn's checkpoint is on GitHub")
                    doomed.signal(SIGKILL)
                    _ = try await doomed.wait()
                    try await body(world, killed)
                }
            }
        }

        @Test(
            "a GitHub session whose worker was killed mid-turn resumes under another state folder from the checkpoint pushed to GitHub, which is deleted when it ends"
        )
        func resumesFromTheForgesCheckpoint() async throws {
            try await Self.withSessionKilledMidTurn(lastAnswer: "Added NOTES.md.") { world, killed in
                try await Self.waitForLeasesToExpire(killed.database)
                let survivor = try await killed.run(killed.worker + ["host-b"])
                #expect(survivor.status == 0, "\(survivor.stderr)")
                #expect(survivor.stdout.contains("resumed from its last complete turn"), "\(survivor.stdout)")
                let (session, charges) = try await MultiHostTests.read(killed.database) { ledger in
                    (try await ledger.session(1), try await ledger.charges(session: 1).count)
                }
                let ended = try #require(session)
                #expect(ended.state == .completed, "\(ended.reason ?? "")")
                #expect(charges == 1, "charged once across both workers")
                let asks = world.fixture.server.requests(for: "paid").map { String(decoding: $0.body, as: UTF8.self) }
                #expect(asks.count == 3)
                #expect(asks.last?.contains("How to call the API.") == true, "host b continued the conversation")
                let branch = try #require(ended.outputs.branch)
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: world.bare)
                        == "How to call the API.\n", "the file written on host a reached the pull request")
                #expect(world.github.pullRequests(in: "acme/api").map(\.head) == [branch])
                #expect(try await TestProcess.git(Self.checkpointRefs, in: world.bare).isEmpty, "deleted on GitHub")
                let clone = killed.folder.appendingPathComponent("host-b/repos/acme/api")
                #expect(try await TestProcess.git(Self.checkpointRefs, in: clone).isEmpty, "and in host b's clone")
            }
        }

        @Test(
            "a checkpoint of a session cancelled while no worker held it is deleted, on GitHub and in the clone, when the repository's next session ends"
        )
        func checkpointOfASessionCancelledUnheldIsSwept() async throws {
            try await Self.withSessionKilledMidTurn(lastAnswer: "Nothing to change.") { world, killed in
                // The dead worker still holds the session: the cancel is recorded for whoever
                // holds it next.
                let cancel = try await killed.run(["sessions", "cancel", "1", "--wait", "0"])
                #expect(cancel.stderr.contains("will stop it when it next checks"), "\(cancel.stderr)")
                try await Self.waitForLeasesToExpire(killed.database)

                // Host b reclaims the session and settles it cancelled without running it: no
                // worker ran its end, so its checkpoint stays for now.
                let settled = try await killed.run(killed.worker + ["host-b"])
                #expect(settled.status == 0, "\(settled.stderr)")
                let cancelled = try await MultiHostTests.read(killed.database) { try await $0.session(1) }
                #expect(cancelled?.state == .cancelled, "\(cancelled?.reason ?? "")")
                #expect(
                    try await TestProcess.git(Self.checkpointRefs, in: world.bare) == "refs/agentsched/checkpoints/1\n")

                // The repository's next session to end deletes it.
                let second = world.github.addIssue(in: "acme/api", title: "Check the README", body: "", labels: [])
                try await killed.assign(second)
                let next = try await killed.run(killed.worker + ["host-b"])
                #expect(next.status == 0, "\(next.stderr)")
                let ended = try await MultiHostTests.read(killed.database) { try await $0.session(2) }
                #expect(ended?.state == .completed, "\(ended?.reason ?? "")")
                #expect(try await TestProcess.git(Self.checkpointRefs, in: world.bare).isEmpty, "deleted on GitHub")
                let clone = killed.folder.appendingPathComponent("host-b/repos/acme/api")
                #expect(try await TestProcess.git(Self.checkpointRefs, in: clone).isEmpty, "and in host b's clone")
            }
        }

        @Test("ledger migrate is idempotent; ledger check exits 1 naming a total edited behind its back")
        func migrateAndCheck() async throws {
            try await PostgresTestServer.withDatabase { database in
                try await FakeModelServer.withServer { server in
                    server.setScript([Self.readReadme, .text("Read the README.")], for: "paid")
                    let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                    let url = Self.withPassword(database)
                    for _ in 1...2 {
                        let migrate = try await Self.run(
                            fixture, url: url, "ledger", "migrate", "--ledger-url-env", "AGENTSCHED_DATABASE_URL")
                        #expect(migrate.status == 0, "\(migrate.stderr)")
                        #expect(migrate.stdout.contains("the database in $AGENTSCHED_DATABASE_URL: schema v"))
                    }
                    try Self.useDatabase(fixture)
                    let assigned = try await Self.run(
                        fixture, url: url, "assign", "--repo", "acme/webapp", "--issues", "1,2", "--title",
                        "Fix the failing test", "--agent", "implementer")
                    #expect(assigned.status == 0, "\(assigned.stderr)")
                    let run = try await Self.run(fixture, url: url, "run", "--until-idle", "--progress", "none")
                    #expect(run.status == 0, "\(run.stderr)")
                    try await PostgresTestServer.execute(
                        "UPDATE budget_totals SET reserved = reserved + 250 WHERE scope = 'org:acme'", on: database)
                    let check = try await Self.run(fixture, url: url, "ledger", "check")
                    #expect(check.status == 1)
                    #expect(check.stderr.contains("ledger check: scope org:acme"), "\(check.stderr)")
                    #expect(check.stderr.contains("error: 1 invariant violation(s)"))
                }
            }
        }
    }
}
