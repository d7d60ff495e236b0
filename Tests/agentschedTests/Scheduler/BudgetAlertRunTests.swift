import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("budget alerts are shown by run, budget and sessions logs")
    struct BudgetAlertRunTests {
        @Test("spending the whole budget shows its alerts in run's progress and summary, in budget, and in the logs")
        func alertsShown() async throws {
            try await FakeModelServer.withServer { server in
                server.setConversationScript([.text("Nothing to fix.")], for: "paid")
                let policy = RunFixture.policy(budget: 2, sessions: 1).replacingOccurrences(
                    of: "  on-exhausted: block", with: "  on-exhausted: block\n  alerts: [75, 100]")
                let fixture = try await RunFixture(server: server, policy: policy)
                let assigned = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "1,2", "--title", "Fix the failing test", "--agent",
                    "implementer")
                #expect(assigned.status == 0, "\(assigned.stderr)")
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("alert: acme reached 100% of its budget (2 of 2 premium requests used)"))
                #expect(run.stdout.contains("Budget alerts:\n  acme reached 75% of its budget"), "\(run.stdout)")
                let budget = try await fixture.run("budget")
                #expect(budget.stdout.contains("Alerts this period:"), "\(budget.stdout)")
                #expect(budget.stdout.contains("acme reached 100% of its budget"))
                let logs = try await fixture.run("sessions", "logs", "2")
                #expect(logs.stdout.contains("budget.alert"), "\(logs.stdout)")
                #expect(logs.stdout.contains("threshold=100"))
            }
        }
    }
}
