import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerLedger
@testable import AgentSchedulerLedgerSQLite

@Suite("Usage rows scanned in parallel parts and merged")
struct UsageAggregationTests {
    /// Commits one charge of `amount` thousandths for `session` at `at`.
    static func charge(
        _ ledger: any Ledger, session: SessionID?, user: String, model: String, amount: Int64, at: Date
    ) async throws {
        let context = ChargeContext(
            session: session, org: "acme", user: user, agent: "implementer", repository: "acme/webapp",
            requestedModel: model, kind: .request)
        let scope = BudgetScope(kind: .org, name: "acme", limit: nil, periodStart: .distantPast, periodEnd: nil)
        let request = ReservationRequest(
            context: context, amount: PremiumRequests(thousandths: amount).amount, scopes: [scope], worker: "w", at: at)
        guard case .reserved(let reservation) = try await ledger.reserve(request) else {
            Issue.record("an unlimited scope refused")
            return
        }
        _ = try await ledger.commit(
            reservation.id, amount: reservation.amount, requests: 1, tokens: .zero, at: at, orgLimit: nil, alerts: [])
    }

    @Test("a session charged at both ends of the range counts once, and totals equal the charges")
    func sessionsAcrossParts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await ledger.registerWorker(
            WorkerLease(id: "w", pid: 1, host: "h", expiresAt: start + 86_400 * 60), at: start)
        var sessions: [SessionID] = []
        for issue in 1...3 {
            let session = try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/webapp", issue: issue, agent: "implementer", assigner: "alice",
                    model: "gpt-4.1"),
                at: start)
            sessions.append(session.id)
        }
        // Session 1 at the first and last instants (different parts of the scan), sessions 2 and 3 between.
        try await Self.charge(ledger, session: sessions[0], user: "alice", model: "gpt-4.1", amount: 330, at: start)
        try await Self.charge(
            ledger, session: sessions[1], user: "bob", model: "gpt-4.1", amount: 1000, at: start + 86_400 * 10)
        try await Self.charge(
            ledger, session: sessions[2], user: "alice", model: "claude", amount: 7500, at: start + 86_400 * 20)
        try await Self.charge(
            ledger, session: nil, user: "alice", model: "gpt-4.1", amount: 250, at: start + 86_400 * 25)
        try await Self.charge(
            ledger, session: sessions[0], user: "alice", model: "gpt-4.1", amount: 330, at: start + 86_400 * 30)

        let query = UsageQuery(from: start, until: start + 86_400 * 31, dimensions: [.org, .user, .model])
        let rows = try await ledger.usageRows(query)
        #expect(
            rows == [
                UsageRow(
                    values: ["acme", "alice", "claude"], actualModel: "claude", sessions: 1, modelRequests: 1,
                    premiumRequests: PremiumRequests(thousandths: 7500)),
                UsageRow(
                    values: ["acme", "alice", "gpt-4.1"], actualModel: "gpt-4.1", sessions: 1, modelRequests: 3,
                    premiumRequests: PremiumRequests(thousandths: 910)),
                UsageRow(
                    values: ["acme", "bob", "gpt-4.1"], actualModel: "gpt-4.1", sessions: 1, modelRequests: 1,
                    premiumRequests: PremiumRequests(thousandths: 1000)),
            ])
        let total = try await ledger.usageRows(UsageQuery(from: start, until: start + 86_400 * 31, dimensions: []))
        #expect(
            total == [
                UsageRow(values: [], sessions: 3, modelRequests: 5, premiumRequests: PremiumRequests(thousandths: 9410))
            ])
        let table = try await ledger.usage(query)
        #expect(table.rows == rows)
        #expect(table.sessions == 3)
        #expect(table.modelRequests == 5)
        #expect(table.premiumRequests == PremiumRequests(thousandths: 9410))
        let charges = try await ledger.charges(from: start, until: start + 86_400 * 31, org: nil)
        #expect(
            charges.reduce(Amount.zero(.premiumRequests)) { $0 + $1.amount }
                == PremiumRequests(thousandths: 9410).amount)
        let bySession = try await ledger.usageRows(
            UsageQuery(from: start, until: start + 86_400 * 31, dimensions: [.session]))
        #expect(bySession.map(\.values) == [[""], ["\(sessions[0])"], ["\(sessions[1])"], ["\(sessions[2])"]])
        #expect(bySession.map(\.sessions) == [0, 1, 1, 1])
    }
}
