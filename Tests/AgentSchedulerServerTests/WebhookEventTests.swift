import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerServer
import AgentSchedulerTesting
import Foundation
import Testing

/// Each event kind acting for real: the fake GitHub over HTTP, a SQLite ledger, the example team.
@Suite("Webhook events: assign by route, follow up on mentions, pong")
struct WebhookEventTests {
    @Test("issues labeled with a routed label queues the routed agent's session, assigned by the sender")
    func labeledQueues() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(
                in: "acme/api", title: "Crash on start", body: "Run it twice.", labels: ["bug"])
            let answer = try await world.receive(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo))
            #expect(answer.status == 200, "\(answer)")
            let outcome = try #require(answer.outcome)
            #expect(outcome.status == .assigned)
            let sessions = try await world.sessions()
            #expect(sessions.count == 1)
            let session = try #require(sessions.first)
            #expect(outcome.sessions == [session.id])
            #expect(outcome.message.hasPrefix("acme/api#\(number) queued for implementer"), "\(outcome.message)")
            #expect(session.state == .queued)
            #expect(session.agent == "implementer")
            #expect(session.assigner == "alice")
            #expect(session.issue == number)
            // The text is GitHub's, read again from the API, not the payload's.
            #expect(session.title == "Crash on start")
            #expect(session.body == "Run it twice.")
            let json = try JSONSerialization.jsonObject(with: answer.json) as? [String: Any]
            #expect(json?["status"] as? String == "assigned")
            #expect(json?["sessions"] as? [Int] == [Int(session.id.rawValue)])
        }
    }

    @Test("a second label on an issue that already waits is not assigned twice")
    func notAssignedTwice() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Crash", labels: ["bug", "enhancement"])
            let first = try await world.receive(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo))
            #expect(first.status == 200, "\(first)")
            let second = try await world.receive(
                "issues",
                Payload.issues(
                    "labeled", number: number, label: "enhancement", sender: "alice", updatedAt: world.aMinuteAgo))
            #expect(second.status == 202, "\(second)")
            #expect(second.outcome?.status == .ignored)
            #expect(second.outcome?.sessions == first.outcome?.sessions)
            #expect(try await world.sessions().count == 1)
        }
    }

    @Test("a label routing to another agent while the issue's session waits adds no second session")
    func notAssignedToASecondAgent() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Crash", labels: ["bug"])
            let first = try await world.receive(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: "alice", updatedAt: world.aMinuteAgo))
            let session = try #require(first.outcome?.sessions.first)
            // docs-writer (priority 50) would win the route over implementer (10) now.
            let second = try await world.receive(
                "issues",
                Payload.issues(
                    "labeled", number: number, label: "documentation", sender: "alice",
                    labels: ["bug", "documentation"], updatedAt: world.aMinuteAgo))
            #expect(second.status == 202)
            #expect(second.outcome?.sessions == [session])
            #expect(second.message == "acme/api#\(number) is already queued as session \(session); nothing added")
            #expect(try await world.sessions().map(\.agent) == ["implementer"])
        }
    }

    @Test(
        "labeled by a sender without write: denied with assign's reason, recorded as denied, nothing queued",
        arguments: [
            ("read", "eve", "eve's role in acme/api is read; agent implementer (write) needs write or above"),
            (
                nil, "eve",
                "eve's permission in acme/api could not be checked: eve is not a collaborator of acme/api on GitHub, "
                    + "or the repository was not found"
            ),
            // The policy lowers bob to read whatever GitHub says.
            ("admin", "bob", "bob's role in acme/api is read; agent implementer (write) needs write or above"),
        ] as [(String?, String, String)])
    func labeledWithoutWriteIsDenied(role: String?, sender: String, reason: String) async throws {
        try await WebhookWorld.with { world in
            if let role { world.github.setPermission(role, for: sender, in: "acme/api") }
            let number = world.github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
            let answer = try await world.receive(
                "issues",
                Payload.issues("labeled", number: number, label: "bug", sender: sender, updatedAt: world.aMinuteAgo))
            #expect(answer.status == 403)
            #expect(answer.errorCode == "denied")
            #expect(answer.message == "acme/api#\(number) denied: \(reason)")
            let sessions = try await world.sessions()
            #expect(sessions.map(\.state) == [.denied])
            #expect(sessions.first?.reason == reason)
        }
    }

    @Test("a label that routes to no agent, and an assignment to someone else, are ignored")
    func notForAgents() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("write", for: "alice", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Crash", labels: ["wontfix"])
            let label = try await world.receive(
                "issues",
                Payload.issues(
                    "labeled", number: number, label: "wontfix", sender: "alice", labels: ["wontfix"],
                    updatedAt: world.aMinuteAgo))
            #expect(label.status == 202)
            #expect(label.message == "label wontfix routes to no agent; #\(number) was not assigned")
            let assigned = try await world.receive(
                "issues",
                Payload.issues(
                    "assigned", number: number, assignee: "carol", sender: "alice", updatedAt: world.aMinuteAgo))
            #expect(assigned.status == 202)
            #expect(assigned.message == "#\(number) was assigned to carol, not to agentsched-bot")
            #expect(try await world.sessions().isEmpty)
        }
    }

    @Test("issues assigned to agentsched's own login assigns by the issue's labels")
    func assignedToTheBot() async throws {
        try await WebhookWorld.with { world in
            world.github.setPermission("maintain", for: "carol", in: "acme/api")
            let number = world.github.addIssue(in: "acme/api", title: "Explain flags", labels: ["documentation"])
            let answer = try await world.receive(
                "issues",
                Payload.issues(
                    "assigned", number: number, assignee: WebhookWorld.bot, sender: "carol",
                    labels: ["documentation"], updatedAt: world.aMinuteAgo))
            #expect(answer.status == 200, "\(answer)")
            #expect(answer.outcome?.status == .assigned)
            let session = try #require(try await world.sessions().first)
            #expect(session.agent == "docs-writer")
            #expect(session.assigner == "carol")
        }
    }

    /// The same comment of each mention kind, delivered twice under two delivery ids.
    enum Mention: String, CaseIterable, Sendable {
        case issueComment = "issue_comment"
        case review = "pull_request_review"
        case reviewComment = "pull_request_review_comment"

        /// Adds the comment on GitHub and returns its payload.
        func add(on pull: Int, in world: WebhookWorld, by author: String, body: String) -> [String: Any] {
            let at = world.aMinuteAgo
            switch self {
            case .issueComment:
                let id = world.github.addIssueComment(on: pull, in: "acme/api", author: author, body: body)
                return Payload.issueComment(on: pull, id: id, by: author, body: body, createdAt: at)
            case .review:
                let id = world.github.addReview(on: pull, in: "acme/api", author: author, body: body)
                return Payload.review(on: pull, id: id, by: author, body: body, submittedAt: at)
            case .reviewComment:
                let id = world.github.addReviewComment(
                    on: pull, in: "acme/api", author: author, body: body, path: "NOTES.md")
                return Payload.reviewComment(on: pull, id: id, by: author, body: body, createdAt: at)
            }
        }
    }

    @Test(
        "a mention on a pull request agentsched opened is one follow-up, even delivered twice",
        arguments: Mention.allCases)
    func mentionFollowsUpOnce(_ kind: Mention) async throws {
        try await WebhookWorld.with { world in
            let (pull, session) = try await world.openedPullRequest()
            world.github.setPermission("write", for: "carol", in: "acme/api")
            let payload = kind.add(on: pull, in: world, by: "carol", body: "@agentsched please add examples")
            let first = try await world.receive(kind.rawValue, payload)
            #expect(first.status == 200, "\(first)")
            let outcome = try #require(first.outcome)
            #expect(outcome.status == .followedUp)
            let followUps = try await world.sessions().filter { $0.follows == session }
            #expect(followUps.count == 1)
            let followUp = try #require(followUps.first)
            #expect(outcome.sessions == [followUp.id])
            #expect(followUp.assigner == "carol")
            #expect(followUp.state == .queued)
            #expect(followUp.feedback?.contains("please add examples") == true)
            // The same signed body again under another id (a second hook, or a captured delivery
            // resent): a replay, refused by the body's digest; nothing new.
            let again = try await world.receive(kind.rawValue, payload)
            #expect(again.status == 409, "\(again)")
            #expect(again.errorCode == "replayed")
            #expect(try await world.sessions().count { $0.follows != nil } == 1)
        }
    }

    @Test("mentions that do not reach an agent: no mention, a plain issue, a reader, a pull request not ours")
    func mentionsIgnored() async throws {
        try await WebhookWorld.with { world in
            let (pull, _) = try await world.openedPullRequest()
            world.github.setPermission("read", for: "dave", in: "acme/api")
            world.github.setPermission("write", for: "carol", in: "acme/api")
            let plain = Mention.issueComment.add(on: pull, in: world, by: "carol", body: "looks good")
            #expect(try await world.receive("issue_comment", plain).message.hasSuffix("does not mention @agentsched"))
            let issue = world.github.addIssue(in: "acme/api", title: "A question")
            let id = world.github.addIssueComment(on: issue, in: "acme/api", author: "carol", body: "@agentsched hi")
            var onIssue = Payload.issueComment(
                on: issue, id: id, by: "carol", body: "@agentsched hi", createdAt: world.aMinuteAgo)
            onIssue["issue"] = Payload.issue(issue, updatedAt: world.aMinuteAgo)
            #expect(
                try await world.receive("issue_comment", onIssue).message == "#\(issue) is an issue, not a pull request"
            )
            let reader = Mention.review.add(on: pull, in: world, by: "dave", body: "@agentsched rewrite it all")
            let refused = try await world.receive("pull_request_review", reader)
            #expect(refused.status == 202)
            #expect(refused.message.contains("below write"), "\(refused.message)")
            let replies = world.github.comments(on: pull, in: "acme/api").filter { $0.author == WebhookWorld.bot }
            #expect(replies.count == 1)
            let theirs = world.github.addPullRequest(in: "acme/api", head: "topic", title: "Someone's change")
            let other = Mention.reviewComment.add(on: theirs, in: world, by: "carol", body: "@agentsched look")
            let notOurs = try await world.receive("pull_request_review_comment", other)
            #expect(notOurs.status == 202)
            #expect(notOurs.message == "acme/api#\(theirs) is not an open pull request agentsched opened")
            #expect(try await world.sessions().count { $0.follows != nil } == 0)
        }
    }

    @Test("ping is answered pong with GitHub's zen")
    func ping() async throws {
        try await WebhookWorld.with { world in
            let answer = try await world.receive("ping", Payload.ping())
            #expect(answer.status == 200)
            #expect(answer.outcome == WebhookOutcome(status: .pong, message: "Keep it logically awesome."))
            let json = try JSONSerialization.jsonObject(with: answer.json) as? [String: Any]
            #expect(json?["status"] as? String == "pong")
            #expect((json?["sessions"] as? [Any])?.isEmpty == true)
        }
    }
}
