import AgentSchedulerLedger
import Foundation
import Testing

/// Conversations in the ledger: saved by the worker holding a session, after each complete turn,
/// and read back by whichever worker resumes it (DESIGN §4, §12).
@Suite("Conversation ledger")
struct ConversationLedgerTests {
    static let checkpoint = String(repeating: "ab", count: 20)

    /// Messages as the runtime writes them: one JSON object each.
    static func messages(_ range: ClosedRange<Int>) -> [String] {
        range.map { #"{"content":"message \#($0)","role":"user"}"# }
    }

    /// The texts' decoded values, so that an engine's normalised JSON compares equal.
    static func decoded(_ messages: [String]) throws -> [[String: String]] {
        try messages.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    @Test(
        "a save keeps the first messages, replaces the rest, and records the turns and the checkpoint",
        arguments: LedgerEngine.available)
    func saveAndReplace(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let fixture = try await EngineFixture(ledger)
            try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
            #expect(try await ledger.conversation(1) == nil)
            try await ledger.saveConversation(
                1, ConversationUpdate(kept: 0, appended: Self.messages(1...3), turns: 1, checkpoint: nil),
                worker: "w1", at: Acme.now)
            try await ledger.saveConversation(
                1,
                ConversationUpdate(kept: 2, appended: Self.messages(7...9), turns: 2, checkpoint: Self.checkpoint),
                worker: "w1", at: Acme.now + 5)
            let saved = try #require(try await ledger.conversation(1))
            #expect(try Self.decoded(saved.messages) == Self.decoded(Self.messages(1...2) + Self.messages(7...9)))
            #expect(saved.turns == 2)
            #expect(saved.checkpoint == Self.checkpoint)
            #expect(try await ledger.conversation(2) == nil)
            _ = fixture
        }
    }

    @Test(
        "only the worker holding the session saves its conversation: a worker that lost it is refused",
        arguments: LedgerEngine.available)
    func onlyTheHolderSaves(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            _ = try await EngineFixture(ledger)
            let update = ConversationUpdate(kept: 0, appended: Self.messages(1...1), turns: 1, checkpoint: nil)
            // Queued: nobody holds it.
            await #expect(throws: LedgerError.notHeld(session: 1, worker: "w1")) {
                try await ledger.saveConversation(1, update, worker: "w1", at: Acme.now)
            }
            try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
            await #expect(throws: LedgerError.notHeld(session: 1, worker: "w2")) {
                try await ledger.saveConversation(1, update, worker: "w2", at: Acme.now)
            }
            try await ledger.saveConversation(1, update, worker: "w1", at: Acme.now)
            // Interrupted (the lease ran out): the old holder's late save changes nothing.
            try await ledger.transition(1, to: .interrupted, reason: "lease expired", worker: nil, at: Acme.now)
            let late = ConversationUpdate(kept: 0, appended: Self.messages(5...6), turns: 2, checkpoint: nil)
            await #expect(throws: LedgerError.notHeld(session: 1, worker: "w1")) {
                try await ledger.saveConversation(1, late, worker: "w1", at: Acme.now)
            }
            #expect(
                try Self.decoded(try #require(try await ledger.conversation(1)).messages)
                    == Self.decoded(Self.messages(1...1)))
            await #expect(throws: LedgerError.noSuchSession(999)) {
                try await ledger.saveConversation(999, update, worker: "w1", at: Acme.now)
            }
        }
    }

    @Test(
        "a save that is not JSON, keeps more than was saved, or names no commit changes nothing",
        arguments: LedgerEngine.available,
        [
            ConversationUpdate(kept: 0, appended: ["{\"role\": "], turns: 1, checkpoint: nil),
            ConversationUpdate(kept: 3, appended: [], turns: 1, checkpoint: nil),
            ConversationUpdate(kept: 0, appended: [], turns: 1, checkpoint: "HEAD"),
            ConversationUpdate(kept: 0, appended: [], turns: 1, checkpoint: String(repeating: "A", count: 40)),
            ConversationUpdate(kept: -1, appended: [], turns: 1, checkpoint: nil),
        ])
    func badSavesChangeNothing(engine: LedgerEngine, update: ConversationUpdate) async throws {
        try await engine.withLedger { ledger, _ in
            _ = try await EngineFixture(ledger)
            try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
            try await ledger.saveConversation(
                1, ConversationUpdate(kept: 0, appended: Self.messages(1...2), turns: 1, checkpoint: nil),
                worker: "w1", at: Acme.now)
            await #expect {
                try await ledger.saveConversation(1, update, worker: "w1", at: Acme.now)
            } throws: { error in
                guard case LedgerError.invalidValue = error else { return false }
                return true
            }
            let saved = try #require(try await ledger.conversation(1))
            #expect(try Self.decoded(saved.messages) == Self.decoded(Self.messages(1...2)))
            #expect(saved.checkpoint == nil)
        }
    }

    @Test(
        "a checkpoint the engine's own constraint refuses is refused even behind the code's back",
        arguments: LedgerEngine.available)
    func checkpointConstraint(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, location in
            _ = try await EngineFixture(ledger)
            let now = engine == .sqlite ? "0" : "now()"
            // The same row with a commit id goes in: only the checkpoint is wrong below.
            try await engine.execute(
                "INSERT INTO conversations (session, turns, checkpoint, saved_at) VALUES (2, 1, '\(Self.checkpoint)', \(now))",
                at: location)
            await #expect(throws: (any Error).self) {
                try await engine.execute(
                    "INSERT INTO conversations (session, turns, checkpoint, saved_at) VALUES (1, 1, 'HEAD~1', \(now))",
                    at: location)
            }
        }
    }

    @Test(
        "a second ledger on the same database reads what the first saved, as a worker on another host does",
        arguments: LedgerEngine.available)
    func anotherProcessReads(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, location in
            _ = try await EngineFixture(ledger)
            try await ledger.transition(1, to: .running, reason: nil, worker: "w1", at: Acme.now)
            let long = String(repeating: "é\u{1F600}\\\"\n", count: 20_000)
            let message = String(
                decoding: try JSONEncoder().encode(["role": "tool", "content": long]), as: UTF8.self)
            try await ledger.saveConversation(
                1, ConversationUpdate(kept: 0, appended: [message], turns: 1, checkpoint: Self.checkpoint),
                worker: "w1", at: Acme.now)
            let seen = try await engine.withAnother(location) { other in try await other.conversation(1) }
            let saved = try #require(seen)
            #expect(try Self.decoded(saved.messages) == [["role": "tool", "content": long]])
            #expect(saved.checkpoint == Self.checkpoint)
        }
    }
}
