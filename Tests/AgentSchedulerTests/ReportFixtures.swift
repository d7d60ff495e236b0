import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation

@testable import AgentScheduler

/// Policies, a catalog and instants the report tests share.
enum ReportFixtures {
    static let catalog = ModelCatalog(
        defaultModel: "gpt-4.1",
        models: [
            ModelDefinition(name: "gpt-4.1", provider: .openai, multiplier: .zero),
            ModelDefinition(name: "gpt-5", provider: .openai, multiplier: PremiumRequests(1)),
            ModelDefinition(name: "claude-sonnet-4.5", provider: .anthropic, multiplier: PremiumRequests(1)),
            ModelDefinition(
                name: "claude-haiku-4.5", provider: .anthropic, multiplier: PremiumRequests(thousandths: 330)),
        ])

    /// 300 a month; alice 200, bob 2, anyone else 10; the reviewer 50.
    static let acme = OrganizationPolicy(
        org: "acme", budget: BudgetPolicy(limit: PremiumRequests(300).amount, period: .monthly),
        users: ["alice": PremiumRequests(200).amount, "bob": PremiumRequests(2).amount],
        defaultUserAllowance: PremiumRequests(10).amount,
        agents: ["reviewer": PremiumRequests(50).amount], source: "policies/acme.yaml")

    /// 50 a week, then the free fallback model; erin 3, anyone else unbounded; the implementer 30.
    static let globex = OrganizationPolicy(
        org: "globex",
        budget: BudgetPolicy(
            limit: PremiumRequests(50).amount, period: .weekly, onExhausted: .fallback, fallbackModel: "gpt-4.1"),
        users: ["erin": PremiumRequests(3).amount], agents: ["implementer": PremiumRequests(30).amount],
        source: "policies/globex.yaml")

    static let policies = [acme, globex]

    /// The reports' clock: Friday 6 November 2026, noon UTC.
    static let now = instant("2026-11-06T12:00:00Z")

    static let november = ReportRange(from: instant("2026-11-01T00:00:00Z"), until: instant("2026-12-01T00:00:00Z"))

    static func instant(_ text: String) -> Date {
        ReportTime.instant(text)!
    }

    static func amount(_ text: String) -> Amount {
        try! PremiumRequests.parse(text).get().amount
    }
}

/// A SQLite ledger in a temporary folder with one worker, filled by spending through `BudgetEngine`
/// at fixed instants.
final class LedgerFixture {
    let folder: URL
    let ledger: SQLiteLedger
    let clock = ManualWallClock(ReportFixtures.now)
    let engine: BudgetEngine

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "agentsched-reports-\(UUID().uuidString)")
        ledger = try SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path)
        engine = BudgetEngine(ledger: ledger, catalog: ReportFixtures.catalog, clock: clock, worker: "worker-1")
        try await ledger.registerWorker(
            WorkerLease(id: "worker-1", pid: 1, host: "test", expiresAt: .distantFuture),
            at: ReportFixtures.instant("2026-10-01T00:00:00Z"))
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new session of `agent` for `user`.
    func session(
        _ policy: OrganizationPolicy, repo: String, agent: String, user: String, model: String
    ) async throws
        -> SessionID
    {
        try await ledger.createSession(
            NewSession(org: policy.org, repository: repo, issue: 1, agent: agent, assigner: user, model: model),
            at: clock.now()
        ).id
    }

    /// Reserves `units` of `model` at `at` and commits them as `units` model requests.
    @discardableResult
    func spend(
        _ policy: OrganizationPolicy, session: SessionID?, user: String, agent: String, repo: String, model: String,
        units: Int = 1, at: String
    ) async throws -> Charge {
        clock.set(ReportFixtures.instant(at))
        let spend = Spend(
            policy: policy, session: session, user: user, agent: agent, repository: repo, model: model, units: units,
            kind: .request)
        guard case .reserved(let reservation) = try await engine.reserve(spend) else {
            throw FixtureError.blocked
        }
        return try await engine.commit(reservation, policy: policy, requests: units)
    }

    /// Holds `units` of `model` without committing them.
    func hold(_ policy: OrganizationPolicy, user: String, agent: String, model: String, at: String) async throws {
        clock.set(ReportFixtures.instant(at))
        let spend = Spend(
            policy: policy, session: nil, user: user, agent: agent, repository: "\(policy.org)/webapp", model: model,
            kind: .request)
        guard case .reserved = try await engine.reserve(spend) else { throw FixtureError.blocked }
    }

    /// The scenario most tests read:
    ///
    /// - 31 Oct: alice, acme, 1 × claude-sonnet-4.5 (the month before);
    /// - 3 Nov: alice, acme/webapp, session 2: 1 × claude-sonnet-4.5 and 3 × claude-haiku-4.5 (0.99);
    /// - 4 Nov: bob, acme/api, session 3, the reviewer: 1 × claude-haiku-4.5 (0.33);
    /// - 5 Nov: erin, globex/app, session 4: 3 × gpt-5 (her whole allowance), then 1 × gpt-5 that runs on
    ///   the fallback gpt-4.1 for nothing;
    /// - 6 Nov: carol (default allowance) holds 1 × claude-sonnet-4.5, not yet committed.
    static func november() async throws -> LedgerFixture {
        let fixture = try await LedgerFixture()
        let acme = ReportFixtures.acme
        let globex = ReportFixtures.globex
        let october = try await fixture.session(
            acme, repo: "acme/webapp", agent: "implementer", user: "alice", model: "claude-sonnet-4.5")
        try await fixture.spend(
            acme, session: october, user: "alice", agent: "implementer", repo: "acme/webapp",
            model: "claude-sonnet-4.5", at: "2026-10-31T23:00:00Z")
        let alice = try await fixture.session(
            acme, repo: "acme/webapp", agent: "implementer", user: "alice", model: "claude-sonnet-4.5")
        try await fixture.spend(
            acme, session: alice, user: "alice", agent: "implementer", repo: "acme/webapp",
            model: "claude-sonnet-4.5", at: "2026-11-03T09:00:00Z")
        try await fixture.spend(
            acme, session: alice, user: "alice", agent: "implementer", repo: "acme/webapp", model: "claude-haiku-4.5",
            units: 3, at: "2026-11-03T10:00:00Z")
        let bob = try await fixture.session(
            acme, repo: "acme/api", agent: "reviewer", user: "bob", model: "claude-haiku-4.5")
        try await fixture.spend(
            acme, session: bob, user: "bob", agent: "reviewer", repo: "acme/api", model: "claude-haiku-4.5",
            at: "2026-11-04T08:00:00Z")
        let erin = try await fixture.session(
            globex, repo: "globex/app", agent: "implementer", user: "erin", model: "gpt-5")
        try await fixture.spend(
            globex, session: erin, user: "erin", agent: "implementer", repo: "globex/app", model: "gpt-5", units: 3,
            at: "2026-11-05T11:00:00Z")
        try await fixture.spend(
            globex, session: erin, user: "erin", agent: "implementer", repo: "globex/app", model: "gpt-5",
            at: "2026-11-05T12:00:00Z")
        try await fixture.hold(
            acme, user: "carol", agent: "implementer", model: "claude-sonnet-4.5", at: "2026-11-06T09:00:00Z")
        fixture.clock.set(ReportFixtures.now)
        return fixture
    }

    enum FixtureError: Error {
        case blocked
    }
}
