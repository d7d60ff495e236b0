import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

/// DESIGN §5.6: periods are computed at admission from UTC time.
@Suite("Budget periods")
struct BudgetPeriodTests {
    @Test(
        "a period runs from its start (inclusive) to the next start (exclusive), in UTC",
        arguments: [
            // Monthly: from the 1st, 00:00 UTC; February of leap and common years; year ends.
            (.monthly, "2026-01-31T23:59:59.999Z", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
            (.monthly, "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"),
            (.monthly, "2024-02-29T23:59:59.999Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
            (.monthly, "2100-02-28T12:00:00Z", "2100-02-01T00:00:00Z", "2100-03-01T00:00:00Z"),
            (.monthly, "2026-12-31T23:59:59.999Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            (.monthly, "2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
            // Weekly: from Monday, 00:00 UTC, across month and year ends.
            (.weekly, "2026-03-16T00:00:00Z", "2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z"),
            (.weekly, "2026-03-15T23:59:59.999Z", "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z"),
            (.weekly, "2026-03-12T12:00:00Z", "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z"),
            (.weekly, "2026-01-01T09:00:00Z", "2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z"),
            (.weekly, "2024-02-29T12:00:00Z", "2024-02-26T00:00:00Z", "2024-03-04T00:00:00Z"),
            (.weekly, "2028-03-01T00:00:00Z", "2028-02-28T00:00:00Z", "2028-03-06T00:00:00Z"),
            (.weekly, "2020-12-31T23:59:59.999Z", "2020-12-28T00:00:00Z", "2021-01-04T00:00:00Z"),
            // Daily: from midnight UTC.
            (.daily, "2024-02-29T23:59:59.999Z", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"),
            (.daily, "2024-12-31T12:00:00Z", "2024-12-31T00:00:00Z", "2025-01-01T00:00:00Z"),
            (.daily, "2026-03-13T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z"),
            (.daily, "2100-02-28T23:59:59.999Z", "2100-02-28T00:00:00Z", "2100-03-01T00:00:00Z"),
        ] as [(BudgetPolicy.Period, String, String, String)])
    func bounds(period: BudgetPolicy.Period, instant: String, start: String, end: String) {
        let bounds = period.bounds(containing: utc(instant))
        #expect(bounds.start == utc(start))
        #expect(bounds.end == utc(end))
    }

    @Test("period none is one period from the epoch that never ends")
    func noPeriod() {
        for instant in ["1970-01-01T00:00:00Z", "2026-03-12T12:00:00Z", "2099-12-31T23:59:59.999Z"] {
            let bounds = BudgetPolicy.Period.none.bounds(containing: utc(instant))
            #expect(bounds.start == Date(timeIntervalSince1970: 0))
            #expect(bounds.end == nil)
        }
    }

    @Test(
        "the last millisecond of a period and the first of the next count toward different budgets",
        arguments: LedgerEngine.available,
        [
            (.monthly, "2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00Z"),
            (.monthly, "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z"),
            (.monthly, "2028-02-29T23:59:59.999Z", "2028-03-01T00:00:00Z"),
            (.weekly, "2026-03-15T23:59:59.999Z", "2026-03-16T00:00:00Z"),
            (.daily, "2026-03-12T23:59:59.999Z", "2026-03-13T00:00:00Z"),
        ] as [(BudgetPolicy.Period, String, String)])
    func boundary(engine: LedgerEngine, _ row: (BudgetPolicy.Period, String, String)) async throws {
        let (period, last, first) = row
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger, at: utc(last))
            let policy = Acme.policy(budget: amount("5"), period: period, users: ["alice": amount("5")])
            let full = Acme.spend(policy, units: 5)
            let before = try await fixture.reserve(full)
            #expect(before.periodStart == period.bounds(containing: utc(last)).start)
            let denial = try await fixture.denial(Acme.spend(policy))
            #expect(denial.exhaustion.scope.kind == .org)
            #expect(denial.resetsAt == utc(first))

            fixture.clock.set(utc(first))
            let after = try await fixture.reserve(full)
            #expect(after.periodStart == utc(first))
            try await fixture.engine.commit(before, policy: policy)
            try await fixture.engine.commit(after, policy: policy)
            let scopes = [Acme.orgScope(policy, at: utc(last)), Acme.orgScope(policy, at: utc(first))]
            #expect(
                try await ledger.usage(of: scopes) == [
                    ScopeUsage(used: amount("5"), reserved: .zero(.premiumRequests)),
                    ScopeUsage(used: amount("5"), reserved: .zero(.premiumRequests)),
                ])
            // Both charges were made at the later instant; each counts toward its reservation's period.
            let charges = try await ledger.charges(from: utc(first), until: utc(first) + 1, org: nil)
            #expect(charges.map(\.amount) == [amount("5"), amount("5")])
        }
    }

    @Test(
        "a budget edited mid-period applies from the next reservation without resetting what was spent",
        arguments: LedgerEngine.available)
    func editedBudget(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            var policy = Acme.policy(budget: amount("10"))
            try await fixture.spend(Acme.spend(policy, units: 8))
            let scope = Acme.orgScope(policy, at: Acme.now)

            policy.budget.limit = amount("6")
            let lowered = try await fixture.denial(Acme.spend(policy, model: "gpt-5-mini"))
            #expect(lowered.exhaustion.scope.limit == amount("6"))
            #expect(lowered.exhaustion.usage == ScopeUsage(used: amount("8"), reserved: .zero(.premiumRequests)))
            #expect(lowered.exhaustion.requested == amount("0.25"))

            policy.budget.limit = amount("12")
            let reservation = try await fixture.reserve(Acme.spend(policy, units: 4))
            #expect(try await ledger.usage(of: [scope]) == [ScopeUsage(used: amount("8"), reserved: amount("4"))])
            let raised = try await fixture.denial(Acme.spend(policy, model: "gpt-5-mini"))
            #expect(raised.exhaustion.usage == ScopeUsage(used: amount("8"), reserved: amount("4")))
            #expect(raised.exhaustion.scope.limit == amount("12"))
            try await fixture.engine.commit(reservation, policy: policy)
            #expect(
                try await ledger.usage(of: [scope]) == [
                    ScopeUsage(used: amount("12"), reserved: .zero(.premiumRequests))
                ])

            // An allowance edited mid-period behaves the same way.
            policy.budget.limit = amount("20")
            policy.users = ["alice": amount("11")]
            let allowance = try await fixture.denial(Acme.spend(policy))
            #expect(allowance.exhaustion.scope.key == .user("alice", in: "acme"))
            #expect(allowance.exhaustion.usage == ScopeUsage(used: amount("12"), reserved: .zero(.premiumRequests)))
            policy.users = ["alice": amount("13")]
            try await fixture.spend(Acme.spend(policy))
            #expect(
                try await ledger.usage(of: [scope]) == [
                    ScopeUsage(used: amount("13"), reserved: .zero(.premiumRequests))
                ])
        }
    }
}
