import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("GitHub-style premium request usage CSV")
struct GitHubUsageReportTests {
    static let header = "Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota"

    /// 5 a month; bob 2, others bounded only by the budget.
    static let initech = OrganizationPolicy(
        org: "initech", budget: BudgetPolicy(limit: PremiumRequests(5).amount),
        users: ["bob": PremiumRequests(2).amount],
        source: "policies/initech.yaml")
    /// No budget and no allowances.
    static let hooli = OrganizationPolicy(org: "hooli", source: "policies/hooli.yaml")

    static func charge(_ org: String, _ user: String, _ model: String, _ amount: String, _ at: String) -> Charge {
        Charge(
            id: 0, reservation: 0,
            context: ChargeContext(
                session: nil, org: org, user: user, agent: "implementer", repository: "\(org)/app",
                requestedModel: "requested-\(model)", actualModel: model, kind: .request),
            amount: ReportFixtures.amount(amount), requests: 1, at: ReportFixtures.instant(at))
    }

    @Test("one row per day, user and model that ran, with the user's quota")
    func fromTheLedger() async throws {
        let fixture = try await LedgerFixture.november()
        let request = UsageRequest(range: ReportFixtures.november)
        let report = try await GitHubUsageReport.load(
            request, from: fixture.ledger, policies: ReportFixtures.policies)
        #expect(
            report.csv()
                == [
                    Self.header,
                    "2026-11-03T00:00:00Z,alice,claude-haiku-4.5,0.99,False,200",
                    "2026-11-03T00:00:00Z,alice,claude-sonnet-4.5,1,False,200",
                    "2026-11-04T00:00:00Z,bob,claude-haiku-4.5,0.33,False,2",
                    "2026-11-05T00:00:00Z,erin,gpt-4.1,0,False,3",
                    "2026-11-05T00:00:00Z,erin,gpt-5,3,False,3",
                ].map { $0 + "\r\n" }.joined())
        let charges = try await fixture.ledger.charges(
            from: ReportFixtures.november.from, until: ReportFixtures.november.until, org: nil)
        let charged = charges.reduce(Amount.zero(.premiumRequests)) { $0 + $1.amount }
        #expect(report.rows.reduce(PremiumRequests.zero) { $0 + $1.premiumRequests }.amount == charged)
        let globex = try await GitHubUsageReport.load(
            UsageRequest(range: ReportFixtures.november, org: "globex"), from: fixture.ledger,
            policies: ReportFixtures.policies)
        #expect(globex.rows.map(\.user) == ["erin", "erin"])
        let none = try await GitHubUsageReport.load(request, from: nil, policies: ReportFixtures.policies)
        #expect(none.csv() == Self.header + "\r\n")
    }

    @Test(
        "a row exceeds the quota once the user's spend in the period so far is past it",
        arguments: [
            (
                "cumulative in row order: equal to the allowance is not past it; once past, later rows stay past",
                [
                    charge("initech", "bob", "claude", "1.5", "2026-11-01T10:00:00Z"),
                    charge("initech", "bob", "claude", "0.5", "2026-11-02T10:00:00Z"),
                    charge("initech", "bob", "opus", "0.25", "2026-11-02T09:00:00Z"),
                    charge("initech", "bob", "gpt-4.1", "0", "2026-11-03T10:00:00Z"),
                ],
                "2026-11-01T00:00:00Z",
                [
                    "2026-11-01T00:00:00Z,bob,claude,1.5,False,2",
                    "2026-11-02T00:00:00Z,bob,claude,0.5,False,2",
                    "2026-11-02T00:00:00Z,bob,opus,0.25,True,2",
                    "2026-11-03T00:00:00Z,bob,gpt-4.1,0,True,2",
                ]
            ),
            (
                "charges of one day, user and model add up; users are counted apart",
                [
                    charge("initech", "bob", "claude", "1", "2026-11-04T10:00:00Z"),
                    charge("initech", "bob", "claude", "1.001", "2026-11-04T11:00:00Z"),
                    charge("initech", "alice", "claude", "1.5", "2026-11-04T12:00:00Z"),
                ],
                "2026-11-01T00:00:00Z",
                [
                    "2026-11-04T00:00:00Z,alice,claude,1.5,False,5",
                    "2026-11-04T00:00:00Z,bob,claude,2.001,True,2",
                ]
            ),
            (
                "without an allowance the quota is the organisation's budget; unlimited or unknown is empty",
                [
                    charge("initech", "carol", "claude", "6", "2026-11-01T10:00:00Z"),
                    charge("hooli", "zed", "claude", "1000", "2026-11-01T10:00:00Z"),
                    charge("umbrella", "zed", "claude", "7", "2026-11-01T11:00:00Z"),
                ],
                "2026-11-01T00:00:00Z",
                [
                    "2026-11-01T00:00:00Z,carol,claude,6,True,5",
                    "2026-11-01T00:00:00Z,zed,claude,1000,False,",
                    "2026-11-01T00:00:00Z,zed,claude,7,False,",
                ]
            ),
            (
                "spend earlier in the period counts, spend of the previous period does not",
                [
                    charge("initech", "bob", "claude", "1", "2026-10-31T23:59:59Z"),
                    charge("initech", "bob", "claude", "1.9", "2026-11-10T10:00:00Z"),
                    charge("initech", "bob", "claude", "0.2", "2026-11-15T10:00:00Z"),
                ],
                "2026-11-15T00:00:00Z",
                ["2026-11-15T00:00:00Z,bob,claude,0.2,True,2"]
            ),
            (
                "a weekly budget's allowance starts again each Monday",
                [
                    charge("globex", "erin", "gpt-5", "3", "2026-11-05T10:00:00Z"),
                    charge("globex", "erin", "gpt-5", "1", "2026-11-06T10:00:00Z"),
                    charge("globex", "erin", "gpt-5", "1", "2026-11-09T10:00:00Z"),
                ],
                "2026-11-01T00:00:00Z",
                [
                    "2026-11-05T00:00:00Z,erin,gpt-5,3,False,3",
                    "2026-11-06T00:00:00Z,erin,gpt-5,1,True,3",
                    "2026-11-09T00:00:00Z,erin,gpt-5,1,False,3",
                ]
            ),
        ] as [(String, [Charge], String, [String])])
    func quota(_ case: String, charges: [Charge], from: String, expected: [String]) {
        let range = ReportRange(from: ReportFixtures.instant(from), until: ReportFixtures.november.until)
        let report = GitHubUsageReport(
            charges: charges.sorted { $0.at < $1.at }, range: range,
            policies: [Self.initech, Self.hooli, ReportFixtures.globex])
        #expect(report.csv() == ([Self.header] + expected).map { $0 + "\r\n" }.joined(), "\(`case`)")
    }

    @Test("awkward user names are quoted as RFC 4180 asks")
    func quoting() {
        let report = GitHubUsageReport(
            charges: [Self.charge("hooli", "Doe, \"JD\"\nJr", "gpt-5", "1", "2026-11-01T10:00:00Z")],
            range: ReportFixtures.november, policies: [Self.hooli])
        #expect(report.csv() == Self.header + "\r\n2026-11-01T00:00:00Z,\"Doe, \"\"JD\"\"\nJr\",gpt-5,1,False,\r\n")
    }
}
