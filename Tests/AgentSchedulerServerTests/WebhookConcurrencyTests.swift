import Foundation
import GRDB
import Testing

@testable import AgentSchedulerLedger
@testable import AgentSchedulerLedgerSQLite
@testable import AgentSchedulerServer

/// Deliveries at once, a ledger that fails, and what an answer may say.
@Suite("Webhook receiver: races, failures and what answers may say")
struct WebhookConcurrencyTests {
    @Test("the same delivery twice at once: one acts, the other is 409 replayed")
    func sameDeliveryAtOnce() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
            let delivery = try world.delivery(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo))
            async let first = world.receiver.receive(delivery)
            async let second = world.receiver.receive(delivery)
            let statuses = await [first.status, second.status].sorted()
            #expect(statuses == [200, 409])
            #expect(try await world.sessions().count == 1)
        }
    }

    @Test("the same comment in two deliveries at once: exactly one follow-up")
    func sameCommentAtOnce() async throws {
        try await WebhookWorld.with { world in
            let (pull, session) = try await world.openedPullRequest()
            world.github.setPermission("write", for: "carol", in: "acme/api")
            let payload = WebhookEventTests.Mention.issueComment.add(
                on: pull, in: world, by: "carol", body: "@agentsched add examples")
            let one = try world.delivery("issue_comment", payload)
            let other = try world.delivery("issue_comment", payload)
            async let first = world.receiver.receive(one)
            async let second = world.receiver.receive(other)
            let answers = await [first, second]
            #expect(answers.map(\.status).sorted() == [200, 409], "\(answers)")
            #expect(try await world.sessions().count { $0.follows == session } == 1)
        }
    }

    @Test("a ledger that fails is 500 ledger-unavailable with one line naming no file; nothing is queued")
    func ledgerFails() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
            try await world.ledger.pool.write { db in try db.execute(sql: "DROP TABLE webhook_deliveries") }
            let answer = try await world.receive(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo))
            #expect(answer.status == 500)
            #expect(answer.errorCode == "ledger-unavailable")
            #expect(!answer.message.contains(world.folder.path))
            #expect(!answer.message.contains("sqlite"))
            #expect(try await world.sessions().isEmpty)
        }
    }

    @Test("a forge's reason keeps its first line, loses local paths and the secret, and keeps URLs")
    func oneLine() async throws {
        try await WebhookWorld.with { world in
            let line = world.receiver.oneLine(
                "cannot open /tmp/ws/.agentsched/ledger.sqlite (path=/srv/x) via https://api.github.invalid/repos/a/b "
                    + "with \(WebhookWorld.secret)\nat Frame.swift:12")
            #expect(
                line == "cannot open <path> (path=<path>) via https://api.github.invalid/repos/a/b with [redacted]")
            #expect(world.receiver.oneLine(String(repeating: "x", count: 400)).count == 300)
        }
    }
}
