import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("Rough edges a real model found: reasons, wording, concurrency and alerts")
struct RoughEdgesTests {
    static func session(
        _ state: SessionState, reason: String?, branch: String?, summary: String? = nil
    )
        -> SessionRecord
    {
        SessionRecord(
            id: 7, org: "acme", repository: "acme/webapp", issue: 5, title: "Fix it", agent: "implementer",
            assigner: "alice", model: "gpt-4.1", state: state, reason: reason,
            createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0), outputs: SessionOutputs(branch: branch, summary: summary))
    }

    static let results: [(SessionState, String?, String?, String)] = [
        (
            SessionState.failed, "stopped by the profile's max-turns limit", "agentsched/5-implementer-7",
            "stopped by the profile's max-turns limit; branch agentsched/5-implementer-7"
        ),
        (.timedOut, "stopped by the profile's max-runtime limit", nil, "stopped by the profile's max-runtime limit"),
        (.completed, nil, "agentsched/5-implementer-7", "agentsched/5-implementer-7"),
    ]

    @Test("the RESULT column puts a failure's reason before its branch", arguments: results)
    func resultColumn(state: SessionState, reason: String?, branch: String?, expected: String) {
        #expect(RunSummary.result(Self.session(state, reason: reason, branch: branch)) == expected)
    }

    static let states: [(String, String?, String)] = [
        ("cancelled", "cancelled", "cancelled"), ("cancelled", "cancelled by alice", "cancelled by alice"),
        ("failed", "stopped by the profile's max-turns limit", "failed (stopped by the profile's max-turns limit)"),
        ("completed", nil, "completed"),
    ]

    @Test("a state and its reason are said once", arguments: states)
    func stateWording(state: String, reason: String?, expected: String) {
        #expect(SessionSummary.stateText(state, reason: reason) == expected)
    }

    @Test(
        "premium requests and counts take the singular for exactly one",
        arguments: [
            (PremiumRequests(1), "1 premium request"), (PremiumRequests(2), "2 premium requests"),
            (PremiumRequests.zero, "0 premium requests"),
        ])
    func premiumWording(amount: PremiumRequests, expected: String) {
        #expect(amount.counted == expected)
    }

    @Test("a count of sessions or requests is singular for one")
    func countWording() {
        #expect(pluralized(1, "session") == "1 session")
        #expect(pluralized(3, "model request") == "3 model requests")
        let summary = RunSummary(
            sessions: [
                SessionSummary(
                    session: Self.session(.completed, reason: nil, branch: nil), premiumRequests: PremiumRequests(1),
                    modelRequests: 1)
            ],
            waiting: [])
        #expect(summary.text().contains("1 session: 1 completed; 1 premium request charged."))
    }

    @Test("the worker's start notice names organisations whose own limit is lower")
    func concurrencyNotice() {
        var acme = OrganizationPolicy(org: "acme", source: "policies/acme.yaml")
        acme.concurrency.sessions = 1
        var globex = OrganizationPolicy(org: "globex", source: "policies/globex.yaml")
        globex.concurrency.sessions = 8
        #expect(Scheduler.concurrencyText(4, policies: [acme, globex]) == "concurrency 4; at most 1 for acme")
        #expect(Scheduler.concurrencyText(4, policies: [globex]) == "concurrency 4")
    }

    @Test("a budget alert reads as a sentence; other events have none")
    func alertSentence() {
        let alert = LedgerEvent(
            id: 1, session: nil, org: "acme", at: Date(timeIntervalSince1970: 0),
            payload: .budgetAlert(threshold: 75, used: PremiumRequests(75).amount, limit: PremiumRequests(100).amount))
        #expect(alert.alertText == "acme reached 75% of its budget (75 of 100 premium requests used)")
        var other = alert
        other.payload = .budgetCharged(reservation: 1, amount: PremiumRequests(1).amount, requests: 1, refunded: nil)
        #expect(other.alertText == nil)
        let summary = RunSummary(sessions: [], waiting: [], alerts: [alert.alertText!])
        #expect(summary.text().contains("Budget alerts:\n  acme reached 75% of its budget"))
    }
}
