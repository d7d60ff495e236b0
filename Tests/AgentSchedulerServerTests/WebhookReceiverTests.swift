import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import Testing

/// The receiver's checks before it acts: each refusal does nothing and records nothing.
@Suite("Webhook receiver: fail closed before acting")
struct WebhookReceiverTests {
    /// A labeled issue routed to `implementer`, which would queue a session if it got through.
    static func labeled(_ world: WebhookWorld, updatedAt: String? = nil) -> [String: Any] {
        world.github.setPermission("write", for: "alice", in: "acme/api")
        let number = world.github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
        return Payload.issues(
            "labeled", number: number, label: "bug", sender: "alice", updatedAt: updatedAt ?? world.aMinuteAgo)
    }

    /// Whether delivery `id` was never recorded (recording it now is new), and no session exists.
    static func nothingHappened(_ world: WebhookWorld, id: String) async throws -> Bool {
        let sessions = try await world.sessions()
        return try await world.ledger.recordWebhookDelivery(
            id, event: "test",
            digest: String(
                (id.utf8.map { String(format: "%02x", $0) }.joined() + String(repeating: "f", count: 64)).prefix(64)),
            at: Date()) && sessions.isEmpty
    }

    static func error(of answer: WebhookAnswer) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: answer.json) as? [String: [String: String]]
        #expect(object?.keys.sorted() == ["error"])
        return try #require(object?["error"])
    }

    @Test(
        "no secret configured: 503 webhooks-disabled, even for a delivery signed with the real secret",
        arguments: [
            (nil, ["AGENTSCHED_WEBHOOK_SECRET": WebhookWorld.secret]),
            ("AGENTSCHED_WEBHOOK_SECRET", [:]),
            ("AGENTSCHED_WEBHOOK_SECRET", ["AGENTSCHED_WEBHOOK_SECRET": ""]),
        ] as [(String?, [String: String])])
    func disabled(variable: String?, environment: [String: String]) async throws {
        try await WebhookWorld.with(secretVariable: variable, environment: environment) { world in
            #expect(!world.receiver.isEnabled)
            let delivery = try world.delivery("issues", Self.labeled(world), id: "d-1")
            let answer = await world.receiver.receive(delivery)
            #expect(answer.status == 503)
            let error = try Self.error(of: answer)
            #expect(error["code"] == "webhooks-disabled")
            #expect(error["message"]?.contains("webhook-secret-env") == true, "\(error)")
            #expect(try await Self.nothingHappened(world, id: "d-1"))
        }
    }

    @Test(
        "a missing, wrong, malformed or tampered signature: 401 bad-signature, nothing done or recorded",
        arguments: ["missing", "wrong secret", "malformed", "body tampered", "sha1 only"])
    func badSignature(_ how: String) async throws {
        try await WebhookWorld.with { world in
            var delivery = try world.delivery("issues", Self.labeled(world), id: "d-1")
            switch how {
            case "missing": delivery.signature = nil
            case "wrong secret": delivery = try world.delivery("issues", Self.labeled(world), id: "d-1", secret: "x")
            case "malformed": delivery.signature = "sha256=not-a-digest"
            case "body tampered":
                delivery.body = Data(
                    String(decoding: delivery.body, as: UTF8.self).replacing("alice", with: "carol").utf8)
            default: delivery.signature = "sha1=" + String(repeating: "0", count: 40)
            }
            let answer = await world.receiver.receive(delivery)
            #expect(answer.status == 401)
            #expect(try Self.error(of: answer)["code"] == "bad-signature")
            #expect(!answer.message.contains(WebhookWorld.secret))
            #expect(try await Self.nothingHappened(world, id: "d-1"))
        }
    }

    @Test("a missing delivery id or event name is 400, after the signature")
    func missingHeaders() async throws {
        try await WebhookWorld.with { world in
            var noID = try world.delivery("issues", Self.labeled(world))
            noID.id = nil
            let first = await world.receiver.receive(noID)
            #expect(first.status == 400 && first.errorCode == "missing-delivery", "\(first)")
            var emptyID = noID
            emptyID.id = ""
            #expect(await world.receiver.receive(emptyID).errorCode == "missing-delivery")
            var noEvent = try world.delivery("issues", Self.labeled(world))
            noEvent.event = nil
            let second = await world.receiver.receive(noEvent)
            #expect(second.status == 400 && second.errorCode == "missing-event", "\(second)")
            #expect(try await world.sessions().isEmpty)
        }
    }

    @Test(
        "a known event whose payload does not decode is 400 with a one-line reason naming the field",
        arguments: [
            (
                "issues", #"{"action":"labeled","repository":{"full_name":"acme/api"},"sender":{"login":"a"}}"#,
                "issues payload: issue is missing"
            ),
            (
                "issue_comment", #"{"action":"created","issue":{"number":"one"}}"#,
                "issue_comment payload: issue.number is not a number"
            ),
            (
                "issue_comment",
                #"{"action":"created","issue":{"number":1,"title":"t","labels":[],"updated_at":"yesterday"}}"#,
                "issue_comment payload: issue.updated_at is not an ISO 8601 time"
            ),
            ("pull_request_review", "[1, 2]", "pull_request_review payload: it is not a JSON object"),
            ("pull_request_review_comment", "not json", "pull_request_review_comment payload: it is not valid JSON"),
        ])
    func malformed(event: String, body: String, reason: String) async throws {
        try await WebhookWorld.with { world in
            let data = Data(body.utf8)
            let signature = try #require(WebhookSignature(secret: WebhookWorld.secret)).sign(data)
            let answer = await world.receiver.receive(
                WebhookDelivery(event: event, id: "d-1", signature: signature, body: data))
            #expect(answer.status == 400)
            #expect(answer.errorCode == "malformed-payload")
            #expect(answer.message.hasPrefix("\(event) payload: "), "\(answer.message)")
            #expect(answer.message == reason)
            #expect(try await Self.nothingHappened(world, id: "d-1"))
        }
    }

    @Test("an unknown event kind and an action agentsched does not act on are 202, ignored")
    func ignoredKinds() async throws {
        try await WebhookWorld.with { world in
            let push = await world.receiver.receive(try world.delivery("push", ["ref": "refs/heads/main"]))
            #expect(push.status == 202)
            #expect(push.outcome?.status == .ignored)
            #expect(push.message == "agentsched does not act on push events")
            var opened = Self.labeled(world)
            opened["action"] = "opened"
            let answer = await world.receiver.receive(try world.delivery("issues", opened))
            #expect(answer.status == 202 && answer.outcome?.status == .ignored, "\(answer)")
            #expect(try await world.sessions().isEmpty)
        }
    }

    @Test("a payload whose own time is older than the window is 400 stale; inside it, it acts")
    func stale() async throws {
        try await WebhookWorld.with { world in
            let old = WebhookWorld.iso(world.clock.now().addingTimeInterval(-3601))
            let answer = await world.receiver.receive(
                try world.delivery("issues", Self.labeled(world, updatedAt: old), id: "d-old"))
            #expect(answer.status == 400)
            #expect(answer.errorCode == "stale")
            #expect(try await Self.nothingHappened(world, id: "d-old"))
            let recent = WebhookWorld.iso(world.clock.now().addingTimeInterval(-3500))
            let fresh = await world.receiver.receive(
                try world.delivery("issues", Self.labeled(world, updatedAt: recent)))
            #expect(fresh.status == 200, "\(fresh)")
        }
    }

    @Test("the same delivery id twice: the second is 409 replayed and does nothing")
    func replayed() async throws {
        try await WebhookWorld.with { world in
            let delivery = try world.delivery("issues", Self.labeled(world), id: "d-1")
            let first = await world.receiver.receive(delivery)
            #expect(first.status == 200, "\(first)")
            let second = await world.receiver.receive(delivery)
            #expect(second.status == 409)
            #expect(
                try Self.error(of: second) == [
                    "code": "replayed", "message": "delivery d-1 was received before; nothing was done",
                ])
            #expect(try await world.sessions().count == 1)
            // A ping is a delivery like any other.
            let ping = try world.delivery("ping", Payload.ping(), id: "p-1")
            #expect(await world.receiver.receive(ping).status == 200)
            #expect(await world.receiver.receive(ping).status == 409)
        }
    }

    @Test("a repository the workspace does not have, or has only locally, is 202 ignored")
    func otherRepositories() async throws {
        try await WebhookWorld.with { world in
            for (name, message) in [
                ("globex/site", "globex/site is not in this workspace"),
                (
                    "acme/webapp",
                    "acme/webapp is not on GitHub in agentsched.yaml (add `acme/webapp: { github: true }`)"
                ),
            ] {
                let answer = await world.receiver.receive(
                    try world.delivery(
                        "issues",
                        Payload.issues(
                            "labeled", number: 1, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo,
                            repository: name)))
                #expect(answer.status == 202)
                #expect(answer.outcome == WebhookOutcome(status: .ignored, message: message))
            }
            #expect(try await world.sessions().isEmpty)
        }
    }

    @Test("a forge that fails is 502 with one line: no path, no secret")
    func forgeDown() async throws {
        try await WebhookWorld.with { world in
            let payload = Self.labeled(world)
            world.github.inject(.serverError(503), count: 50)
            let answer = await world.receiver.receive(try world.delivery("issues", payload))
            #expect(answer.status == 502, "\(answer)")
            #expect(answer.errorCode == "forge-unavailable")
            #expect(!answer.message.contains("\n"))
            #expect(!answer.message.contains(world.folder.path))
            #expect(!answer.message.contains(WebhookWorld.secret))
            #expect(try await world.sessions(.init([.queued])).isEmpty)
        }
    }

    @Test("a delivery that failed on GitHub's side is acted on when GitHub redelivers it (same id, same body)")
    func redeliveredAfterFailure() async throws {
        try await WebhookWorld.with { world in
            let payload = Self.labeled(world)
            let delivery = try world.delivery("issues", payload)
            world.github.inject(.serverError(503), count: 50)
            #expect(await world.receiver.receive(delivery).status == 502)
            world.github.clearFaults()
            let again = await world.receiver.receive(delivery)
            #expect(again.status == 200, "\(again)")
            #expect(try await world.sessions(.init([.queued])).count == 1)
            #expect(await world.receiver.receive(delivery).status == 409)
        }
    }
}
