import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("Usage reports")
struct UsageReportTests {
    /// November of `LedgerFixture.november()` grouped by `dimensions`.
    static func november(_ dimensions: [UsageDimension], org: String? = nil) async throws -> UsageReport {
        let fixture = try await LedgerFixture.november()
        return try await UsageReport.load(
            UsageRequest(range: ReportFixtures.november, org: org, dimensions: dimensions), from: fixture.ledger,
            policies: ReportFixtures.policies, now: ReportFixtures.now)
    }

    @Test(
        "every grouping, as a table with a totals line",
        arguments: [
            (
                UsageDimension.org,
                """
                ORG     SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                acme           2               5              2.32
                globex         1               4                 3
                TOTAL          3               9              5.32
                """
            ),
            (
                .user,
                """
                USER   SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                alice         1               4              1.99
                bob           1               1              0.33
                erin          1               4                 3
                TOTAL         3               9              5.32
                """
            ),
            (
                .agent,
                """
                AGENT        SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                implementer         2               8              4.99
                reviewer            1               1              0.33
                TOTAL               3               9              5.32
                """
            ),
            (
                .model,
                """
                MODEL              SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                claude-haiku-4.5          2               4              1.32
                claude-sonnet-4.5         1               1                 1
                gpt-5 → gpt-4.1           1               1                 0
                gpt-5                     1               3                 3
                TOTAL                     3               9              5.32
                """
            ),
            (
                .repo,
                """
                REPO         SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                acme/api            1               1              0.33
                acme/webapp         1               4              1.99
                globex/app          1               4                 3
                TOTAL               3               9              5.32
                """
            ),
            (
                .day,
                """
                DAY         SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                2026-11-03         1               4              1.99
                2026-11-04         1               1              0.33
                2026-11-05         1               4                 3
                TOTAL              3               9              5.32
                """
            ),
            (
                .session,
                """
                SESSION  SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                2               1               4              1.99
                3               1               1              0.33
                4               1               4                 3
                TOTAL           3               9              5.32
                """
            ),
        ])
    func groupings(dimension: UsageDimension, expected: String) async throws {
        #expect(try await Self.november([dimension]).table() == expected)
    }

    @Test("several dimensions, in the order given; a fallback shows the model asked for and the one that ran")
    func severalDimensions() async throws {
        let report = try await Self.november([.org, .user, .model])
        #expect(
            report.table() == """
                ORG     USER   MODEL              SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                acme    alice  claude-haiku-4.5          1               3              0.99
                acme    alice  claude-sonnet-4.5         1               1                 1
                acme    bob    claude-haiku-4.5          1               1              0.33
                globex  erin   gpt-5 → gpt-4.1           1               1                 0
                globex  erin   gpt-5                     1               3                 3
                TOTAL                                    3               9              5.32
                """)
        #expect(
            report.markdown() == """
                | org | user | model | sessions | model requests | premium requests |
                | --- | --- | --- | ---: | ---: | ---: |
                | acme | alice | claude-haiku-4.5 | 1 | 3 | 0.99 |
                | acme | alice | claude-sonnet-4.5 | 1 | 1 | 1 |
                | acme | bob | claude-haiku-4.5 | 1 | 1 | 0.33 |
                | globex | erin | gpt-5 → gpt-4.1 | 1 | 1 | 0 |
                | globex | erin | gpt-5 | 1 | 3 | 3 |
                | **Total** |  |  | **3** | **9** | **5.32** |
                """)
        #expect(
            report.csv() == """
                org,user,model,model_actual,sessions,model_requests,premium_requests,input_tokens,cached_tokens,cache_write_tokens,output_tokens,ai_credits\r
                acme,alice,claude-haiku-4.5,claude-haiku-4.5,1,3,0.99,0,0,0,0,0\r
                acme,alice,claude-sonnet-4.5,claude-sonnet-4.5,1,1,1,0,0,0,0,0\r
                acme,bob,claude-haiku-4.5,claude-haiku-4.5,1,1,0.33,0,0,0,0,0\r
                globex,erin,gpt-5,gpt-4.1,1,1,0,0,0,0,0,0\r
                globex,erin,gpt-5,gpt-5,1,3,3,0,0,0,0,0\r

                """)
    }

    @Test("JSON has the unit, the period, rows keyed by dimension, totals and the organisations' budgets")
    func json() async throws {
        let report = try await Self.november([.model, .session])
        #expect(
            try report.json() == """
                {
                  "budgets" : [
                    {
                      "limit" : 300,
                      "remaining" : 296.68,
                      "reserved" : 1,
                      "resets_at" : "2026-12-01T00:00:00Z",
                      "scope" : "org:acme",
                      "unit" : "premium-requests",
                      "used" : 2.32
                    },
                    {
                      "limit" : 50,
                      "remaining" : 47,
                      "reserved" : 0,
                      "resets_at" : "2026-11-09T00:00:00Z",
                      "scope" : "org:globex",
                      "unit" : "premium-requests",
                      "used" : 3
                    }
                  ],
                  "period" : {
                    "from" : "2026-11-01T00:00:00Z",
                    "until" : "2026-12-01T00:00:00Z"
                  },
                  "rows" : [
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "claude-haiku-4.5",
                      "model_actual" : "claude-haiku-4.5",
                      "model_requests" : 3,
                      "output_tokens" : 0,
                      "premium_requests" : 0.99,
                      "session" : 2,
                      "sessions" : 1
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "claude-haiku-4.5",
                      "model_actual" : "claude-haiku-4.5",
                      "model_requests" : 1,
                      "output_tokens" : 0,
                      "premium_requests" : 0.33,
                      "session" : 3,
                      "sessions" : 1
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "claude-sonnet-4.5",
                      "model_actual" : "claude-sonnet-4.5",
                      "model_requests" : 1,
                      "output_tokens" : 0,
                      "premium_requests" : 1,
                      "session" : 2,
                      "sessions" : 1
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "gpt-5",
                      "model_actual" : "gpt-4.1",
                      "model_requests" : 1,
                      "output_tokens" : 0,
                      "premium_requests" : 0,
                      "session" : 4,
                      "sessions" : 1
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "gpt-5",
                      "model_actual" : "gpt-5",
                      "model_requests" : 3,
                      "output_tokens" : 0,
                      "premium_requests" : 3,
                      "session" : 4,
                      "sessions" : 1
                    }
                  ],
                  "totals" : {
                    "ai_credits" : 0,
                    "cache_write_tokens" : 0,
                    "cached_tokens" : 0,
                    "input_tokens" : 0,
                    "model_requests" : 9,
                    "output_tokens" : 0,
                    "premium_requests" : 5.32,
                    "sessions" : 3
                  },
                  "unit" : "premium-requests"
                }
                """)
    }

    @Test("--org keeps one organisation's charges and budget")
    func oneOrganisation() async throws {
        let report = try await Self.november([.user], org: "globex")
        #expect(report.rows.map(\.values) == [["erin"]])
        #expect(report.totals == UsageTotals(sessions: 1, modelRequests: 4, premiumRequests: PremiumRequests(3)))
        #expect(report.budgets.map(\.scope.key.description) == ["org:globex"])
    }

    @Test(
        "totals reconcile exactly with the sum of the ledger's charges, whatever the grouping and range",
        arguments: [
            ([UsageDimension.org], "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            ([.day, .model], "2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            ([.session, .user, .repo], "2026-10-31T23:00:00Z", "2026-11-03T10:00:00Z"),
            ([.agent], "2026-11-03T10:00:00Z", "2026-11-05T12:00:00.001Z"),
            ([.model, .org, .day, .user, .repo, .agent, .session], "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"),
        ])
    func reconciliation(dimensions: [UsageDimension], from: String, until: String) async throws {
        let fixture = try await LedgerFixture.november()
        let range = ReportRange(from: ReportFixtures.instant(from), until: ReportFixtures.instant(until))
        let report = try await UsageReport.load(
            UsageRequest(range: range, dimensions: dimensions), from: fixture.ledger,
            policies: ReportFixtures.policies, now: ReportFixtures.now)
        let charges = try await fixture.ledger.charges(from: range.from, until: range.until, org: nil)
        #expect(!charges.isEmpty)
        #expect(
            report.totals.premiumRequests.amount == charges.reduce(Amount.zero(.premiumRequests)) { $0 + $1.amount })
        #expect(report.totals.modelRequests == charges.reduce(0) { $0 + $1.requests })
        #expect(report.totals.sessions == Set(charges.compactMap(\.context.session)).count)
        #expect(report.rows.reduce(.zero) { $0 + $1.premiumRequests } == report.totals.premiumRequests)
    }

    @Test("an empty ledger, or none at all, gives headers and zero totals")
    func empty() async throws {
        let fixture = try await LedgerFixture()
        let request = UsageRequest(range: ReportFixtures.november, dimensions: [.org, .model])
        for ledger in [fixture.ledger, nil] as [(any Ledger)?] {
            let report = try await UsageReport.load(
                request, from: ledger, policies: [ReportFixtures.acme], now: ReportFixtures.now)
            #expect(report.rows.isEmpty)
            #expect(
                report.table() == """
                    ORG    MODEL  SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                    TOTAL                0               0                 0
                    """)
            #expect(
                report.csv()
                    == "org,model,model_actual,sessions,model_requests,premium_requests,input_tokens,cached_tokens,cache_write_tokens,output_tokens,ai_credits\r\n"
            )
            #expect(
                report.markdown() == """
                    | org | model | sessions | model requests | premium requests |
                    | --- | --- | ---: | ---: | ---: |
                    | **Total** |  | **0** | **0** | **0** |
                    """)
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
            #expect((json["rows"] as? [Any])?.isEmpty == true)
            #expect(
                json["totals"] as? [String: Int] == [
                    "sessions": 0, "model_requests": 0, "premium_requests": 0, "input_tokens": 0, "cached_tokens": 0,
                    "cache_write_tokens": 0, "output_tokens": 0, "ai_credits": 0,
                ])
            let budgets = try #require(json["budgets"] as? [[String: Any]])
            #expect(budgets.map { $0["used"] as? Int } == [0])
            #expect(budgets.map { $0["remaining"] as? Int } == [300])
            #expect(
                GitHubUsageReport(charges: [], range: ReportFixtures.november, policies: []).csv()
                    == "Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota\r\n")
        }
    }

    @Test("an unlimited budget is null in JSON, and so is the reset of a period that never ends")
    func unlimitedBudget() throws {
        let policy = OrganizationPolicy(org: "initech", budget: BudgetPolicy(period: .none), source: "p.yaml")
        let scope = ReportScopes.org(policy, at: ReportFixtures.now)
        let report = UsageReport(
            range: ReportFixtures.november, dimensions: [.org], rows: [], sessions: 0,
            budgets: [
                BudgetLine(
                    scope: scope,
                    usage: ScopeUsage(used: PremiumRequests(thousandths: 1).amount, reserved: .zero(.premiumRequests)))
            ])
        #expect(
            try report.json().contains(
                """
                  "budgets" : [
                    {
                      "limit" : null,
                      "remaining" : null,
                      "reserved" : 0,
                      "resets_at" : null,
                      "scope" : "org:initech",
                      "unit" : "premium-requests",
                      "used" : 0.001
                    }
                  ],
                """))
    }
}
