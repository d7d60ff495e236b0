import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("Budget reports")
struct BudgetReportTests {
    @Test("every scope of each organisation in the current period: budget, named users, spenders, capped agents")
    func table() async throws {
        let fixture = try await LedgerFixture.november()
        let report = try await BudgetReport.load(
            policies: ReportFixtures.policies, from: fixture.ledger, now: ReportFixtures.now)
        #expect(
            report.table() == """
                SCOPE                     LIMIT  USED  RESERVED  REMAINING  PERCENT  RESETS AT
                org:acme                    300  2.32         1     296.68       1%  2026-12-01T00:00:00Z
                user:acme/alice             200  1.99         0     198.01       0%  2026-12-01T00:00:00Z
                user:acme/bob                 2  0.33         0       1.67      16%  2026-12-01T00:00:00Z
                user:acme/carol              10     0         1          9      10%  2026-12-01T00:00:00Z
                agent:acme/reviewer          50  0.33         0      49.67       0%  2026-12-01T00:00:00Z
                org:globex                   50     3         0         47       6%  2026-11-09T00:00:00Z
                user:globex/erin              3     3         0          0     100%  2026-11-09T00:00:00Z
                agent:globex/implementer     30     3         0         27      10%  2026-11-09T00:00:00Z
                """)
    }

    @Test("the figures agree with the ledger's own totals for the scopes BudgetEngine reserves under")
    func agreesWithTheEngine() async throws {
        let fixture = try await LedgerFixture.november()
        let report = try await BudgetReport.load(
            policies: [ReportFixtures.acme], from: fixture.ledger, now: ReportFixtures.now)
        let spend = Spend(
            policy: ReportFixtures.acme, session: nil, user: "bob", agent: "reviewer", repository: "acme/api",
            model: "claude-haiku-4.5", kind: .request)
        let scopes = BudgetEngine.scopes(for: spend, at: ReportFixtures.now).filter { $0.kind != .session }
        let usage = try await fixture.ledger.usage(of: scopes)
        for (scope, usage) in zip(scopes, usage) {
            #expect(report.lines.first { $0.scope == scope }?.usage == usage)
        }
    }

    @Test("a new period starts from zero; without a ledger only the policy's scopes show")
    func nextPeriodAndNoLedger() async throws {
        let fixture = try await LedgerFixture.november()
        let december = try await BudgetReport.load(
            policies: [ReportFixtures.acme], from: fixture.ledger,
            now: ReportFixtures.instant("2026-12-01T00:00:00Z"))
        #expect(december.lines.map(\.usage.used) == Array(repeating: .zero(.premiumRequests), count: 4))
        #expect(december.lines.map(\.usage.reserved) == Array(repeating: .zero(.premiumRequests), count: 4))
        let none = try await BudgetReport.load(policies: [ReportFixtures.acme], from: nil, now: ReportFixtures.now)
        #expect(
            none.lines.map(\.scope.key.description) == [
                "org:acme", "user:acme/alice", "user:acme/bob", "agent:acme/reviewer",
            ])
    }

    @Test("JSON has every figure, null for unlimited and for a period that never resets")
    func json() async throws {
        let unlimited = OrganizationPolicy(
            org: "hooli", budget: BudgetPolicy(period: .none), users: ["zed": nil], source: "policies/hooli.yaml")
        let fixture = try await LedgerFixture.november()
        let report = try await BudgetReport.load(
            policies: [unlimited, ReportFixtures.globex], from: fixture.ledger, now: ReportFixtures.now)
        #expect(
            report.table() == """
                SCOPE                         LIMIT  USED  RESERVED  REMAINING  PERCENT  RESETS AT
                org:globex                       50     3         0         47       6%  2026-11-09T00:00:00Z
                user:globex/erin                  3     3         0          0     100%  2026-11-09T00:00:00Z
                agent:globex/implementer         30     3         0         27      10%  2026-11-09T00:00:00Z
                org:hooli                 unlimited     0         0          -        -  never
                user:hooli/zed            unlimited     0         0          -        -  never
                """)
        #expect(
            try report.json() == """
                {
                  "at" : "2026-11-06T12:00:00Z",
                  "budgets" : [
                    {
                      "limit" : 50,
                      "percent" : 6,
                      "remaining" : 47,
                      "reserved" : 0,
                      "resets_at" : "2026-11-09T00:00:00Z",
                      "scope" : "org:globex",
                      "unit" : "premium-requests",
                      "used" : 3
                    },
                    {
                      "limit" : 3,
                      "percent" : 100,
                      "remaining" : 0,
                      "reserved" : 0,
                      "resets_at" : "2026-11-09T00:00:00Z",
                      "scope" : "user:globex/erin",
                      "unit" : "premium-requests",
                      "used" : 3
                    },
                    {
                      "limit" : 30,
                      "percent" : 10,
                      "remaining" : 27,
                      "reserved" : 0,
                      "resets_at" : "2026-11-09T00:00:00Z",
                      "scope" : "agent:globex/implementer",
                      "unit" : "premium-requests",
                      "used" : 3
                    },
                    {
                      "limit" : null,
                      "percent" : null,
                      "remaining" : null,
                      "reserved" : 0,
                      "resets_at" : null,
                      "scope" : "org:hooli",
                      "unit" : "premium-requests",
                      "used" : 0
                    },
                    {
                      "limit" : null,
                      "percent" : null,
                      "remaining" : null,
                      "reserved" : 0,
                      "resets_at" : null,
                      "scope" : "user:hooli/zed",
                      "unit" : "premium-requests",
                      "used" : 0
                    }
                  ],
                  "unit" : "premium-requests"
                }
                """)
    }

    @Test(
        "remaining never goes below zero and percent rounds down",
        arguments: [
            ("300", "2.32", "1", "296.68", 1), ("2", "0.33", "0", "1.67", 16), ("2", "1.999", "0", "0.001", 99),
            ("2", "2", "0", "0", 100), ("2", "2.5", "0", "0", 125), ("0", "0", "0", "0", nil),
        ] as [(String, String, String, String, Int?)])
    func figures(limit: String, used: String, reserved: String, remaining: String, percent: Int?) {
        let scope = BudgetScope(
            kind: .user, name: "acme/bob", limit: ReportFixtures.amount(limit), periodStart: ReportFixtures.now,
            periodEnd: nil)
        let line = BudgetLine(
            scope: scope,
            usage: ScopeUsage(used: ReportFixtures.amount(used), reserved: ReportFixtures.amount(reserved)))
        #expect(line.remaining == ReportFixtures.amount(remaining))
        #expect(line.percent == percent)
    }
}
