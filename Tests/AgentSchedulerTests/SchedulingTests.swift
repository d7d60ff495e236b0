import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerRuntime
import Foundation
import Synchronization
import Testing

@testable import AgentScheduler

@Suite("Scheduling: access, billing, endings, wait reasons, progress")
struct SchedulingTests {
    static func workspace() throws -> Workspace {
        let (workspace, _, folder) = try AssignerTests.workspace()
        try? FileManager.default.removeItem(at: folder)
        return workspace
    }

    @Test(
        "the session's permission is the lower of the profile's and what the assigner's role allows",
        arguments: [
            ("alice", "implementer", "acme/webapp", "write"),
            ("carol", "reviewer", "acme/webapp", "read-only"),
            ("dave", "implementer", "acme/webapp", "read-only"),
            ("alice", "implementer", "acme/infra-net", "denied: agent implementer is not allowed in acme/infra-net"),
            ("mallory", "reviewer", "acme/webapp", "denied: mallory has no role in acme/webapp (policy acme)"),
            ("alice", "reviewer", "nobody/else", "denied: no organisation policy has a repository rule matching"),
        ])
    func access(user: String, agent: String, repository: String, expected: String) throws {
        let workspace = try Self.workspace()
        let profile = try #require(workspace.team.profile(named: agent))
        switch AccessCheck.evaluate(workspace: workspace, repository: repository, user: user, profile: profile) {
        case .allowed(_, _, let permission): #expect(permission.rawValue == expected)
        case .denied(let reason): #expect(("denied: " + reason).hasPrefix(expected), "\(reason)")
        }
    }

    @Test(
        "on a GitHub repository the role is GitHub's, which the policy may lower but never raise; no answer denies",
        arguments: [
            ("alice", ForgeGrant.role(.admin), "write"),  // the policy's write lowers GitHub's admin
            ("dave", .role(.admin), "read-only"),  // the policy's triage lowers it below write
            ("alice", .role(.read), "read-only"),  // the policy's write does not raise GitHub's read
            ("mallory", .role(.write), "write"),  // a user the policy does not name keeps GitHub's role
            ("mallory", .role(.triage), "read-only"),
            ("alice", .role(nil), "denied: alice has no access to acme/webapp on GitHub (permission none)"),
            (
                "alice", .unavailable("the forge cannot be reached: connection refused"),
                "denied: alice's permission in acme/webapp could not be checked: the forge cannot be reached"
            ),
            ("alice", .notConsulted, "denied: alice's permission in acme/webapp was not checked with GitHub"),
        ])
    func githubAccess(user: String, grant: ForgeGrant, expected: String) throws {
        var workspace = try Self.workspace()
        workspace.configuration.repositories["acme/webapp"] = .init(github: true)
        let profile = try #require(workspace.team.profile(named: "implementer"))
        switch AccessCheck.evaluate(
            workspace: workspace, repository: "acme/webapp", user: user, profile: profile, forge: grant)
        {
        case .allowed(_, _, let permission): #expect(permission.rawValue == expected)
        case .denied(let reason): #expect(("denied: " + reason).hasPrefix(expected), "\(reason)")
        }
    }

    /// A request as the loop sends it; premium requests ignore its size.
    static let request = ModelRequest(model: "claude-sonnet-4.5", messages: [.user("Fix the parser.")])

    static func billing(
        charging: ChargingMode, earlier: [Charge] = [], ledger: SQLiteLedger
    ) throws -> (SessionBilling, SessionRecord) {
        let workspace = try Self.workspace()
        var policy = try #require(workspace.policy(named: "acme"))
        policy.charging = charging
        let session = SessionRecord(
            id: 1, org: "acme", repository: "acme/webapp", issue: 1, title: "", agent: "implementer",
            assigner: "alice", model: "claude-sonnet-4.5", state: .queued, createdAt: Date(), updatedAt: Date())
        let engine = BudgetEngine(
            ledger: ledger, catalog: try #require(workspace.catalog), clock: SystemWallClock(), worker: "w")
        return (
            SessionBilling(
                engine: engine, policy: policy, session: session, earlierCharges: earlier,
                observer: SilentObserver()),
            session
        )
    }

    static func withLedger(_ body: (SQLiteLedger) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path)
        try await ledger.registerWorker(
            WorkerLease(id: "w", pid: 1, host: "test", expiresAt: .distantFuture), at: Date())
        _ = try await ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/webapp", issue: 1, agent: "implementer", assigner: "alice",
                model: "claude-sonnet-4.5"),
            at: Date())
        try await body(ledger)
    }

    @Test("per-session charging reserves at admission and commits once when work was done")
    func perSession() async throws {
        try await Self.withLedger { ledger in
            let (billing, _) = try Self.billing(charging: .perSession, ledger: ledger)
            #expect(try await billing.admit(nextTurn: 1) == .admitted(model: "claude-sonnet-4.5"))
            _ = try await billing.willSend(turn: 1, request: Self.request)
            await billing.didFinish(turn: 1, succeeded: true, usage: nil)
            await billing.didFinish(turn: 2, succeeded: false, usage: nil)
            await billing.finish(reason: "done")
            let charges = try await ledger.charges(session: 1)
            #expect(charges.map(\.amount.premiumRequests) == [PremiumRequests(1)])
            #expect(charges.map(\.requests) == [1])
            #expect(try await ledger.openReservations().isEmpty)
        }
    }

    @Test(
        "a stopped session is charged once any request succeeded, and released when none did",
        arguments: [
            (reason: "cancelled by alice", successes: 1, charged: [PremiumRequests(1)]),
            (reason: "the run stopped; the next run resumes it", successes: 2, charged: [PremiumRequests(1)]),
            (reason: "cancelled by alice", successes: 0, charged: []),
        ])
    func chargedWhenStopped(reason: String, successes: Int, charged: [PremiumRequests]) async throws {
        try await Self.withLedger { ledger in
            let (billing, _) = try Self.billing(charging: .perSession, ledger: ledger)
            _ = try await billing.admit(nextTurn: 1)
            for turn in 0..<successes { await billing.didFinish(turn: turn + 1, succeeded: true, usage: nil) }
            await billing.didFinish(turn: successes + 1, succeeded: false, usage: nil)
            await billing.finish(reason: reason)
            let charges = try await ledger.charges(session: 1)
            #expect(charges.map(\.amount) == charged.map(\.amount))
            #expect(charges.map(\.requests) == (charged.isEmpty ? [] : [successes]))
            #expect(try await ledger.openReservations().isEmpty)
        }
    }

    @Test("per-request charging of a cancelled session keeps every successful request and releases the open one")
    func perRequestCancelled() async throws {
        try await Self.withLedger { ledger in
            let (billing, _) = try Self.billing(charging: .perRequest, ledger: ledger)
            _ = try await billing.admit(nextTurn: 1)
            for turn in 1...2 {
                _ = try await billing.willSend(turn: turn, request: Self.request)
                await billing.didFinish(turn: turn, succeeded: true, usage: nil)
            }
            _ = try await billing.willSend(turn: 3, request: Self.request)
            await billing.finish(reason: "cancelled by alice")
            #expect(try await ledger.charges(session: 1).map(\.requests) == [1, 1])
            #expect(try await ledger.openReservations().isEmpty)
        }
    }

    @Test("per-request charging skips the turns an earlier run already paid, and charges each new one once")
    func perRequestResume() async throws {
        try await Self.withLedger { ledger in
            let (first, _) = try Self.billing(charging: .perRequest, ledger: ledger)
            _ = try await first.admit(nextTurn: 1)
            for turn in 1...2 {
                _ = try await first.willSend(turn: turn, request: Self.request)
                await first.didFinish(turn: turn, succeeded: true, usage: nil)
            }
            let paid = try await ledger.charges(session: 1)
            #expect(paid.count == 2)
            // Resumed from a conversation saved after turn 1: turn 2 was already paid for.
            let (resumed, _) = try Self.billing(charging: .perRequest, earlier: paid, ledger: ledger)
            _ = try await resumed.admit(nextTurn: 2)
            for turn in 2...3 {
                _ = try await resumed.willSend(turn: turn, request: Self.request)
                await resumed.didFinish(turn: turn, succeeded: true, usage: nil)
            }
            await resumed.finish(reason: "done")
            #expect(try await ledger.charges(session: 1).count == 3)
            #expect(try await ledger.openReservations().isEmpty)
        }
    }

    @Test(
        "a loop's outcome and the stop request decide the session's final state",
        arguments: [
            (AgentOutcome.completed(summary: "ok"), StopReason?.none, SessionState.completed),
            (.stopped(.maxRuntime), nil, .timedOut),
            (.stopped(.maxTurns), nil, .failed),
            (.failed("boom"), nil, .failed),
            (.cancelled, .cancelled(by: "carol"), .cancelled),
            (.cancelled, .draining, .interrupted),
            (.completed(summary: "ok"), .draining, .interrupted),
            (.cancelled, nil, .interrupted),
        ])
    func endings(outcome: AgentOutcome, stop: StopReason?, expected: SessionState) async throws {
        try await Self.withLedger { ledger in
            let (billing, _) = try Self.billing(charging: .perSession, ledger: ledger)
            let (state, _) = await SessionRunner.ending(outcome, stop: stop, billing: billing)
            #expect(state == expected)
        }
    }

    @Test("a session still open says why it waits")
    func waitReasons() throws {
        let workspace = try Self.workspace()
        var counts = ActiveCounts()
        for _ in 0..<2 { counts.add(org: "acme", repository: "acme/webapp", user: "alice") }
        func session(
            _ state: SessionState, worker: WorkerID? = nil, repository: String = "acme/webapp"
        ) -> SessionRecord {
            SessionRecord(
                id: 1, org: "acme", repository: repository, issue: 1, title: "", agent: "implementer",
                assigner: "alice", model: "claude-sonnet-4.5", state: state, reason: "the budget is used up",
                createdAt: Date(), updatedAt: Date(), worker: worker)
        }
        #expect(
            WaitReasons.reason(for: session(.blocked), counts: counts, workspace: workspace) == "the budget is used up")
        #expect(
            WaitReasons.reason(for: session(.running, worker: "w9"), counts: counts, workspace: workspace)
                == "running on worker w9")
        #expect(
            WaitReasons.reason(for: session(.queued), counts: counts, workspace: workspace)
                == "waiting: acme/webapp runs 2 of its 2 sessions (concurrency.per-repo)")
        #expect(
            WaitReasons.reason(for: session(.queued, repository: "acme/api"), counts: counts, workspace: workspace)
                == "waiting for a run with a free slot")
    }

    @Test("the live view shows counts, budgets and running sessions within the terminal's width")
    func snapshotLines() {
        let snapshot = ProgressSnapshot(
            counts: [.running: 2, .queued: 5, .completed: 1],
            budgets: [
                .init(
                    org: "acme", used: PremiumRequests(3).amount, reserved: PremiumRequests(2).amount,
                    remaining: PremiumRequests(295).amount
                )
            ],
            running: [
                .init(
                    session: 7, issue: 12, agent: "implementer", model: "claude-sonnet-4.5", state: .running, turn: 3,
                    lastTool: "execute")
            ],
            elapsed: .seconds(75))
        let lines = snapshot.lines(width: 200)
        #expect(lines[0] == "agentsched run  1m15s  queued 5 · running 2 · completed 1")
        #expect(lines[1] == "  acme: 3 premium requests used, 2 reserved, 295 remaining")
        #expect(lines.contains { $0.contains("#12") && $0.contains("implementer") && $0.hasSuffix("execute") })
        #expect(snapshot.lines(width: 20).allSatisfy { $0.count <= 20 })
    }

    @Test("plain progress prints one line per state change; the live view redraws in place")
    func boards() async throws {
        try await Self.withLedger { ledger in
            let printed = Mutex<[String]>([])
            let workspace = try Self.workspace()
            let source = WorkspaceSource(root: workspace.root, workspace: workspace)
            let plain = ProgressBoard(style: .plain, ledger: ledger, workspaces: source) { text in
                printed.withLock { $0.append(text) }
            }
            var session = try #require(try await ledger.session(1))
            session.state = .running
            await plain.observe(.stateChanged(session, from: .queued))
            #expect(
                printed.withLock { $0 }.last?.hasSuffix("session 1  acme/webapp#1 implementer  queued → running\n")
                    == true)
            #expect(await plain.touched == [1])

            printed.withLock { $0 = [] }
            let live = ProgressBoard(style: .live(width: 100), ledger: ledger, workspaces: source) { text in
                printed.withLock { $0.append(text) }
            }
            await live.observe(.stateChanged(session, from: .queued))
            await live.redraw()
            await live.redraw()
            let frames = printed.withLock { $0 }
            #expect(frames.count == 2)
            #expect(frames[0].hasPrefix("\u{1B}[J"))
            let height = frames[0].split(separator: "\n").count
            #expect(frames[1].hasPrefix("\u{1B}[\(height)F\u{1B}[J"))
        }
    }
}
