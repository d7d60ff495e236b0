import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("AI credits in reports: GitHub's usage-based billing CSV and dry-run estimates")
struct CreditsReportTests {
    static func credits(_ text: String) -> AICredits { try! AICredits.parse(text).get() }

    static func charge(
        user: String, model: String, repository: String = "initech/app", credits text: String, at: String
    ) -> Charge {
        Charge(
            id: 0, reservation: 0,
            context: ChargeContext(
                session: 1, org: "initech", user: user, agent: "implementer", repository: repository,
                requestedModel: model, kind: .request),
            amount: credits(text).amount, requests: 1, tokens: TokenCounts(input: 10, output: 5),
            at: ReportFixtures.instant(at))
    }

    @Test(
        "github-credits-csv groups by day, user, model, organisation and repository, exactly, and quotes what needs it")
    func githubCreditsCSV() {
        let charges = [
            Self.charge(
                user: "O'Brien, \"Bob\"", model: "claude-sonnet-4.5", credits: "1.25", at: "2026-11-03T10:00:00Z"),
            Self.charge(
                user: "O'Brien, \"Bob\"", model: "claude-sonnet-4.5", credits: "0.000002", at: "2026-11-03T23:59:59Z"),
            Self.charge(
                user: "alice", model: "gpt-5.4", repository: "initech/a,b", credits: "3", at: "2026-11-04T00:00:00Z"),
            // Outside the range, and a premium-request charge: neither is a row.
            Self.charge(user: "alice", model: "gpt-5.4", credits: "7", at: "2026-12-01T00:00:00Z"),
            Charge(
                id: 0, reservation: 0,
                context: ChargeContext(
                    session: 2, org: "acme", user: "alice", agent: "implementer", repository: "acme/app",
                    requestedModel: "claude-sonnet-4.5", kind: .session),
                amount: PremiumRequests(1).amount, requests: 1, at: ReportFixtures.instant("2026-11-05T00:00:00Z")),
        ]
        let report = GitHubCreditsReport(charges: charges, range: ReportFixtures.november)
        #expect(
            report.csv()
                == [
                    "date,username,product,sku,model,quantity,unit_type,applied_cost_per_quantity,gross_amount,"
                        + "discount_amount,net_amount,organization,repository",
                    #"2026-11-03,"O'Brien, ""Bob""",copilot,copilot_ai_credits,claude-sonnet-4.5,1.250002,ai-credits,0.01,0.01250002,0,0.01250002,initech,initech/app"#,
                    #"2026-11-04,alice,copilot,copilot_ai_credits,gpt-5.4,3,ai-credits,0.01,0.03,0,0.03,initech,"initech/a,b""#,
                ].map { $0 + "\r\n" }.joined())
        #expect(GitHubCreditsReport(charges: [], range: ReportFixtures.november).csv().hasPrefix("date,username,"))
    }

    @Test(
        "an estimate from history is the nearest-rank median and 90th percentile",
        arguments: [
            (["5"], "5", "5"), (["1", "2", "3", "10"], "2", "10"), (["4", "1", "3", "2"], "2", "4"),
            ((1...10).map(String.init), "5", "9"), ((1...20).map(String.init), "10", "18"),
        ])
    func historyPercentiles(costs: [String], median: String, p90: String) throws {
        let estimate = try #require(
            CostEstimate.history(costs.map { Self.credits($0).amount }, unit: .aiCredits))
        #expect(estimate.median == Self.credits(median).amount)
        #expect(estimate.p90 == Self.credits(p90).amount)
        #expect(estimate.sessions == costs.count)
        #expect(estimate.basis == .history)
        #expect(CostEstimate.history([], unit: .aiCredits) == nil)
    }

    @Test("a dry run's totals are set against what each budget has left")
    func dryRunAgainstBudgets() {
        func line(_ kind: BudgetScope.Kind, _ name: String, limit: String?, used: String) -> BudgetLine {
            BudgetLine(
                scope: BudgetScope(
                    kind: kind, name: name, unit: .aiCredits, limit: limit.map { Self.credits($0).amount },
                    periodStart: ReportFixtures.now, periodEnd: nil),
                usage: ScopeUsage(used: Self.credits(used).amount, reserved: .zero(.aiCredits)))
        }
        let estimate = DryRunEstimate(
            unit: .aiCredits, sessions: 3, median: Self.credits("30").amount, p90: Self.credits("90").amount,
            budgets: [
                line(.org, "initech", limit: "1000", used: "100"),
                line(.user, "initech/peter", limit: "150", used: "90"),
                line(.agent, "initech/implementer", limit: "100", used: "80"),
                line(.agent, "initech/docs-writer", limit: nil, used: "0"),
            ])
        #expect(
            estimate.text == """
                estimate for 3 sessions: median 30.00, p90 90.00 AI credits in total
                  organisation initech: 900.00 remaining; the p90 fits
                  user peter in initech: 60.00 remaining; the median fits, the p90 does not
                  agent implementer in initech: 20.00 remaining; does not fit
                  agent docs-writer in initech: no limit
                """)
    }
}
