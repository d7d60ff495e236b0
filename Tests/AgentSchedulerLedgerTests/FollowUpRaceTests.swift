import AgentSchedulerLedger
import Foundation
import Testing

/// Two `sync` processes that see the same review comments create one follow-up for each, never two.
@Suite struct FollowUpRaceTests {
    @Test(arguments: LedgerEngine.available) func processesRacingOnTheSameFeedbackCreateExactlyOneFollowUpEach(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, path in
            let first = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/webapp", issue: 12, title: "Add tests for parser",
                    agent: "test-writer", assigner: "alice", model: "gpt-4.1"),
                at: Date())
            _ = try await ledger.openLocalPullRequest(
                PullRequestFields(
                    repository: "acme/webapp", head: "agentsched/12-test-writer-1", base: "main", title: "#12",
                    body: "", session: first.id),
                at: Date())
            let rounds = 40
            let arguments = [
                "follow-up", "--ledger", path, "--follows", "\(first.id)", "--pull-request", "1", "--rounds",
                "\(rounds)",
            ]
            let results = try await WorkerProcess.runAll(Array(repeating: arguments, count: 4))
            for result in results { #expect(result.status == 0, "\(result.stderr)") }
            let won = results.flatMap { $0.stdout.split(separator: "\n").map(String.init) }
            // Each round was won by exactly one process: no round twice, none lost.
            #expect(won.sorted() == (1...rounds).map(String.init).sorted())
            let followUps = try await ledger.sessions(in: []).filter { $0.follows == first.id }
            #expect(followUps.count == rounds)
            #expect(Set(followUps.compactMap(\.feedback)).count == rounds)
        }
    }
}
