import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@Suite("Scope keys: one format for totals, stamps and counts")
struct ScopeKeyTests {
    @Test(
        "each key is written as KIND:NAME, @UNIT for credits, and reads back the same",
        arguments: [
            (ScopeKey.org("acme"), "org:acme"),
            (.user("alice", in: "acme"), "user:acme/alice"),
            (.agent("reviewer", in: "acme", unit: .aiCredits), "agent:acme/reviewer@ai-credits"),
            (.session(42), "session:42"),
            (.org("a@b"), "org:a@b"),
        ])
    func roundTrip(key: ScopeKey, text: String) throws {
        #expect(key.description == text)
        #expect(ScopeKey(text) == key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let json = try encoder.encode([key])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(text)\"]")
        #expect(try JSONDecoder().decode([ScopeKey].self, from: json) == [key])
    }

    @Test(
        "text no key is written as reads as nothing",
        arguments: ["", "acme", "team:acme", "org:", "org:acme@premium-requests"])
    func refused(text: String) {
        #expect(ScopeKey(text) == nil)
    }

    @Test("a budget scope, the fair-share queue and the concurrency counts name a user the same way")
    func oneFormat() {
        let scope = BudgetScope(
            kind: .user, name: ScopeKey.member("alice", of: "acme"), limit: nil, periodStart: Date(), periodEnd: nil)
        #expect(scope.key == .user("alice", in: "acme"))
        #expect(FairShareQueue.userKey("acme", "alice") == scope.key.description)
        var counts = ActiveCounts()
        counts.add(org: "acme", repository: "acme/api", user: "alice")
        #expect(counts.users[scope.name] == 1)
    }
}
