import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerPostgres
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// A `run` worker on a PostgreSQL ledger that loses its database, through the built binary:
    /// the worker reaches the database through a `TCPProxy` that the test cuts and restores, while
    /// the test's own checks talk to the server directly.
    @Suite(
        "agentsched run losing its PostgreSQL database, end to end",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    struct DatabaseLossTests {
        static let readReadme = FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)])

        /// One issue assigned on a PostgreSQL ledger, a proxy in front of the database, and the
        /// URLs of both: `direct` for the test, `proxied` for the worker under test.
        struct Setting {
            /// The fixture's workspace.
            var folder: URL
            var server: FakeModelServer
            var proxy: TCPProxy
            var direct: String
            var proxied: String

            /// Runs `agentsched ARGUMENTS` to the end, on the database directly.
            func agentsched(_ arguments: String...) async throws -> AgentschedProcess.Result {
                var environment = RunFixture.environment
                environment["AGENTSCHED_DATABASE_URL"] = direct
                return try await BackgroundAgentsched.run(arguments, in: folder, environment: environment)
            }

            /// Starts `agentsched run` through the proxy, with its own state folder.
            func startWorker(leaseSeconds: Int) throws -> BackgroundAgentsched {
                var environment = RunFixture.environment
                environment["AGENTSCHED_DATABASE_URL"] = proxied
                return try BackgroundAgentsched(
                    [
                        "run", "--until-idle", "--lease-seconds", "\(leaseSeconds)", "--progress", "plain",
                        "--state-dir", "cut-host",
                    ],
                    in: folder, environment: environment)
            }

            /// Reads the ledger directly, on the database's clock.
            func read<T: Sendable>(_ body: (PostgresLedger) async throws -> T) async throws -> T {
                try await PostgresLedger.withLedger(try PostgresLedgerConfiguration(url: direct, environment: [:])) {
                    try await body($0)
                }
            }
        }

        /// Runs `body` with a fresh database, a proxy in front of it, a fake model server whose
        /// `paid` model first asks to read the README and then answers, and issue 1 assigned.
        static func withSetting(_ body: (Setting) async throws -> Void) async throws {
            try await PostgresTestServer.withDatabase { database in
                var components = try #require(URLComponents(string: database))
                let host = try #require(components.host)
                let port = try #require(components.port)
                try await TCPProxy.withProxy(to: host == "localhost" ? "127.0.0.1" : host, port: UInt16(port)) {
                    proxy in
                    components.port = Int(proxy.port)
                    let proxied = try #require(components.string)
                    try await FakeModelServer.withServer { server in
                        server.setScript([Self.readReadme, .text("Read the README.")], for: "paid")
                        let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                        try PostgresRunTests.useDatabase(fixture)
                        let setting = Setting(
                            folder: fixture.workspace.url, server: server, proxy: proxy, direct: database,
                            proxied: proxied)
                        let assigned = try await setting.agentsched(
                            "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test",
                            "--agent", "implementer")
                        try #require(assigned.status == 0, "\(assigned.stderr)")
                        try await body(setting)
                        // The workspace lives until the body is done with it.
                        _ = fixture.workspace.url
                    }
                }
            }
        }

        /// Waits until `condition` holds, polling, for at most `timeout`; throws naming `what` otherwise.
        static func waitUntil(
            _ what: String, timeout: Duration = .seconds(120), _ condition: () async throws -> Bool
        ) async throws {
            let deadline = ContinuousClock.now + timeout
            while !(try await condition()) {
                guard ContinuousClock.now < deadline else {
                    throw AgentschedProcess.Failure(description: "timed out waiting until \(what)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Waits for `worker` to end, for at most `timeout`: a worker that hangs fails the test.
        static func ended(
            _ worker: BackgroundAgentsched, timeout: Duration = .seconds(240)
        ) async throws -> AgentschedProcess.Result {
            try await waitUntil("the worker ended", timeout: timeout) { worker.program.termination != nil }
            return try await worker.wait()
        }

        /// Starts the worker under test, lets its first model request arrive and holds the answer,
        /// cuts the database, then lets the answer go: the session is in the middle of a request
        /// when the database goes away.
        static func cutDuringRequest(_ setting: Setting, leaseSeconds: Int) async throws -> BackgroundAgentsched {
            setting.server.holdAnswers()
            let worker = try setting.startWorker(leaseSeconds: leaseSeconds)
            try await waitUntil("the session's first model request is held") {
                if worker.program.termination != nil {
                    let ended = try await worker.wait()
                    throw AgentschedProcess.Failure(description: "the worker ended early: \(ended.stderr)")
                }
                return setting.server.heldAnswers == 1
            }
            setting.proxy.cut()
            setting.server.releaseAnswers()
            return worker
        }

        /// What the ledger shows once everything settled: the session completed, charged once,
        /// every reservation resolved exactly once, and `ledger check` content.
        static func expectSettledOnce(_ setting: Setting) async throws {
            let (sessions, events, open) = try await setting.read { ledger in
                (
                    try await ledger.sessions(in: []), try await ledger.events(session: nil, after: 0),
                    try await ledger.openReservations()
                )
            }
            let session = try #require(sessions.first)
            #expect(session.state == .completed, "\(sessions.map(\.state))")
            let charges = try await setting.read { try await $0.charges(session: session.id) }
            #expect(charges.count == 1, "charged once, not \(charges.count) times")
            #expect(open.isEmpty, "open reservations: \(open.map(\.id))")
            let reserved = events.filter { $0.kind == .budgetReserved }.compactMap { $0.data["reservation"] }
            let resolved = events.filter { [.budgetCharged, .budgetReleased].contains($0.kind) }
                .compactMap { $0.data["reservation"] }
            #expect(!reserved.isEmpty)
            #expect(resolved.sorted() == reserved.sorted(), "reserved \(reserved), resolved \(resolved)")
            let check = try await setting.agentsched("ledger", "check")
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("every invariant holds"), "\(check.stdout)")
        }

        /// The session's states in the ledger's log, in order.
        static func states(_ setting: Setting) async throws -> [String] {
            try await setting.read { try await $0.events(session: nil, after: 0) }
                .filter { $0.kind == .sessionState }.compactMap { $0.data["to"] }
        }

        @Test(
            "a database cut during a model request: no request goes out until it is back; restored within the lease, the worker itself interrupts its session and releases its hold; a later run completes it, charged once"
        )
        func restoredWithinTheLease() async throws {
            try await Self.withSetting { setting in
                let worker = try await Self.cutDuringRequest(setting, leaseSeconds: 300)
                // The session's last writes fail against the cut database, and so does retiring the
                // lease: the session stopped, holding its reservation, and the worker waits for the
                // database to settle it.
                try await Self.waitUntil("the worker waits for the database to retire its lease") {
                    worker.outputSoFar.contains("the ledger cannot be reached: retrying to retire worker")
                }
                #expect(
                    worker.outputSoFar.contains("ended interrupted, but the ledger failed"), "\(worker.outputSoFar)")
                #expect(worker.program.termination == nil, "the worker still waits for the database")
                #expect(
                    setting.server.requests(for: "paid").count == 1,
                    "no model request went out while the database was unreachable")
                setting.proxy.restore()
                let stopped = try await Self.ended(worker)
                #expect(stopped.status != 0, "the run that lost its ledger exits non-zero")
                #expect(stopped.stderr.contains("Nothing it held stays reserved"), "\(stopped.stderr)")
                #expect(stopped.stdout.contains("the ledger answers again: retired worker"), "\(stopped.stdout)")
                #expect(!stopped.stderr.contains("Fatal error"), "\(stopped.stderr)")
                #expect(
                    setting.server.requests(for: "paid").count == 1,
                    "the worker sent nothing more after the database came back")
                let (session, open) = try await setting.read { ledger in
                    (try await ledger.sessions(in: []).first, try await ledger.openReservations())
                }
                #expect(session?.state == .interrupted, "\(String(describing: session?.state))")
                #expect(open.isEmpty, "the worker released its session's hold: \(open.map(\.id))")

                let resumed = try await setting.agentsched("run", "--until-idle", "--progress", "plain")
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(try await Self.states(setting) == ["running", "interrupted", "running", "completed"])
                try await Self.expectSettledOnce(setting)
            }
        }

        @Test(
            "a database cut during a model request and restored after the lease expired: the worker exits naming the session it holds; another run reclaims, resumes and completes it, charged once"
        )
        func restoredAfterTheLeaseExpired() async throws {
            try await Self.withSetting { setting in
                let worker = try await Self.cutDuringRequest(setting, leaseSeconds: 3)
                let stopped = try await Self.ended(worker)
                #expect(stopped.status != 0, "the run that lost its ledger exits non-zero")
                #expect(stopped.stderr.contains("stays reserved"), "\(stopped.stderr)")
                #expect(!stopped.stderr.contains("Fatal error"), "\(stopped.stderr)")
                #expect(
                    setting.server.requests(for: "paid").count == 1,
                    "no model request went out while the database was unreachable")
                setting.proxy.restore()
                let before = try await setting.read { try await $0.sessions(in: []).first }
                #expect(before?.state == .running, "the cut worker could not record its session's end")

                let resumed = try await setting.agentsched(
                    "run", "--until-idle", "--lease-seconds", "3", "--progress", "plain")
                #expect(resumed.status == 0, "\(resumed.stderr)")
                #expect(resumed.stdout.contains("reclaimed the lease of"), "\(resumed.stdout)")
                #expect(try await Self.states(setting) == ["running", "interrupted", "running", "completed"])
                try await Self.expectSettledOnce(setting)
            }
        }

        @Test("a worker started while the database is unreachable fails with one clear line and a non-zero exit")
        func startedWithoutTheDatabase() async throws {
            try await Self.withSetting { setting in
                setting.proxy.cut()
                let worker = try setting.startWorker(leaseSeconds: 30)
                let result = try await Self.ended(worker)
                #expect(result.status != 0)
                let lines = result.stderr.split(separator: "\n").filter {
                    !$0.trimmingCharacters(in: .whitespaces).isEmpty
                }
                #expect(lines.count == 1, "\(result.stderr)")
                #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
                #expect(result.stderr.contains("AGENTSCHED_DATABASE_URL") || result.stderr.contains("database"))
                #expect(setting.proxy.refusedConnections > 0, "the worker did try to reach the database")
                #expect(setting.server.requests(for: "paid").isEmpty)
                let session = try await setting.read { try await $0.sessions(in: []).first }
                #expect(session?.state == .queued)
            }
        }
    }
}
