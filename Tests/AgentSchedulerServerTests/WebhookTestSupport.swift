import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerServer
import AgentSchedulerTesting
import Foundation
import Logging
import Testing

/// A workspace for webhook tests: the example team and policies in a temporary folder, with
/// `acme/api` on the fake GitHub, a real SQLite ledger, the process's forges and a receiver.
///
/// Like the CLI's end-to-end tests (`GitHubAssignTests`), the token's login is `agentsched-bot`
/// and `acme/api`'s roles come from GitHub, lowered by `policies/acme.yaml`.
struct WebhookWorld: Sendable {
    static let token = "ghp_fakeWebhookToken0123456789abcdef"
    static let secret = "It's a Secret to Everybody"
    static let bot = "agentsched-bot"

    let github: FakeGitHubServer
    let folder: URL
    let workspace: Workspace
    let ledger: SQLiteLedger
    let forges: ForgeDirectory
    let clock: ManualWallClock
    let receiver: WebhookReceiver

    /// Runs `body` in a fresh world. `secretVariable` is what `github.webhook-secret-env` names
    /// (absent when `nil`); `environment` is what the receiver reads the secret from.
    static func with(
        secretVariable: String? = "AGENTSCHED_WEBHOOK_SECRET",
        environment: [String: String] = ["AGENTSCHED_WEBHOOK_SECRET": secret],
        _ body: (WebhookWorld) async throws -> Void
    ) async throws {
        try await FakeGitHubServer.withServer { github in
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            for name in ["agents", "policies"] {
                try FileManager.default.copyItem(
                    at: root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            try """
            github:
              api-url: \(github.apiURL.absoluteString)
              token-env: GITHUB_TOKEN
            \(secretVariable.map { "  webhook-secret-env: \($0)" } ?? "")
            repositories:
              acme/api: { github: true }
              acme/webapp: { path: repos/webapp }

            """.write(to: folder.appendingPathComponent("agentsched.yaml"), atomically: true, encoding: .utf8)
            github.addToken(token, login: bot)
            github.addRepository("acme/api", cloneURL: "https://github.invalid/acme/api.git")
            let workspace = WorkspaceLoader(root: folder.path).load()
            #expect(workspace.errors == [])
            let ledger = try SQLiteLedger(path: folder.appendingPathComponent(".agentsched/ledger.sqlite").path)
            let clock = ManualWallClock(Date())
            let forges = ForgeDirectory(
                workspace: workspace, environment: ["GITHUB_TOKEN": token], logger: Logger(label: "test.forge"),
                wallClock: clock)
            let receiver = WebhookReceiver(
                workspace: workspace, environment: environment, ledger: ledger, forges: forges, clock: clock)
            let world = WebhookWorld(
                github: github, folder: folder, workspace: workspace, ledger: ledger, forges: forges, clock: clock,
                receiver: receiver)
            try await forges.closing { try await body(world) }
        }
    }

    /// `payload` as GitHub would deliver it: signed with `secret`, under a fresh delivery id unless one is given.
    func delivery(
        _ event: String, _ payload: [String: Any], id: String = UUID().uuidString, secret: String = Self.secret
    ) throws -> WebhookDelivery {
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let signature = try #require(WebhookSignature(secret: secret)).sign(body)
        return WebhookDelivery(event: event, id: id, signature: signature, body: body)
    }

    /// Receives `payload` as a signed delivery of `event`.
    func receive(
        _ event: String, _ payload: [String: Any], id: String = UUID().uuidString
    ) async throws
        -> WebhookAnswer
    {
        await receiver.receive(try delivery(event, payload, id: id))
    }

    /// A finished session of `implementer` on a fresh issue of `acme/api` whose branch has an open
    /// draft pull request agentsched opened, tracked in the ledger: what a follow-up continues.
    /// Returns the pull request's number and the session's id.
    func openedPullRequest() async throws -> (number: Int, session: SessionID) {
        let issue = github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
        let session = try await ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/api", issue: issue, title: "Crash on start", agent: "implementer",
                assigner: "alice", model: "gpt-4.1"),
            at: clock.now())
        let branch = "agentsched/\(issue)-implementer-\(session.id)"
        try await ledger.transition(session.id, to: .running, reason: nil, worker: nil, at: clock.now())
        try await ledger.recordOutputs(session.id, SessionOutputs(branch: branch, commit: "abc123"), at: clock.now())
        try await ledger.transition(session.id, to: .completed, reason: nil, worker: nil, at: clock.now())
        let number = github.addPullRequest(
            in: "acme/api", head: branch, title: "Fix the crash", author: Self.bot, draft: true)
        try await ledger.recordPullRequest(
            PullRequestFields(
                repository: "acme/api", head: branch, base: "main", title: "Fix the crash", body: "Fixes #\(issue)",
                session: session.id),
            number: number, url: "https://github.invalid/acme/api/pull/\(number)", at: clock.now())
        return (number, session.id)
    }

    /// Sessions in `states` (all when empty).
    func sessions(_ states: Set<SessionState> = []) async throws -> [SessionRecord] {
        try await ledger.sessions(in: states)
    }

    /// A minute before the clock, as GitHub writes times.
    var aMinuteAgo: String { Self.iso(clock.now().addingTimeInterval(-60)) }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// GitHub's webhook payloads, with the fields agentsched reads and a few it does not.
enum Payload {
    static func repository(_ name: String = "acme/api") -> [String: Any] {
        ["id": 1_296_269, "name": String(name.split(separator: "/").last ?? ""), "full_name": name, "private": false]
    }

    static func user(_ login: String) -> [String: Any] { ["login": login, "id": 1, "type": "User"] }

    static func issue(
        _ number: Int, labels: [String] = ["bug"], pullRequest: Bool = false, updatedAt: String
    ) -> [String: Any] {
        var issue: [String: Any] = [
            "number": number, "title": "Crash on start", "body": NSNull(), "state": "open",
            "labels": labels.map { ["name": $0, "color": "f29513"] }, "updated_at": updatedAt,
            "created_at": updatedAt, "user": user("octocat"),
        ]
        if pullRequest { issue["pull_request"] = ["url": "https://api.github.invalid/repos/acme/api/pulls/\(number)"] }
        return issue
    }

    static func issues(
        _ action: String, number: Int, label: String? = nil, assignee: String? = nil, sender: String,
        labels: [String] = ["bug"], updatedAt: String, repository name: String = "acme/api"
    ) -> [String: Any] {
        var payload: [String: Any] = [
            "action": action, "issue": issue(number, labels: labels, updatedAt: updatedAt),
            "repository": repository(name), "sender": user(sender),
        ]
        if let label { payload["label"] = ["name": label, "color": "f29513"] }
        if let assignee { payload["assignee"] = user(assignee) }
        return payload
    }

    static func issueComment(
        on number: Int, id: Int64, by author: String, body: String, createdAt: String, action: String = "created"
    ) -> [String: Any] {
        [
            "action": action, "issue": issue(number, pullRequest: true, updatedAt: createdAt),
            "comment": [
                "id": id, "body": body, "user": user(author), "created_at": createdAt, "updated_at": createdAt,
            ],
            "repository": repository(), "sender": user(author),
        ]
    }

    static func review(
        on number: Int, id: Int64, by author: String, body: String?, submittedAt: String
    )
        -> [String: Any]
    {
        [
            "action": "submitted",
            "review": [
                "id": id, "body": body ?? NSNull(), "user": user(author), "submitted_at": submittedAt,
                "state": "commented",
            ],
            "pull_request": ["number": number, "url": "https://api.github.invalid/repos/acme/api/pulls/\(number)"],
            "repository": repository(), "sender": user(author),
        ]
    }

    static func reviewComment(
        on number: Int, id: Int64, by author: String, body: String, createdAt: String
    )
        -> [String: Any]
    {
        [
            "action": "created",
            "comment": [
                "id": id, "body": body, "user": user(author), "created_at": createdAt, "path": "NOTES.md",
                "line": 1,
            ],
            "pull_request": ["number": number], "repository": repository(), "sender": user(author),
        ]
    }

    static func ping() -> [String: Any] {
        ["zen": "Keep it logically awesome.", "hook_id": 42, "repository": repository(), "sender": user("octocat")]
    }
}
