import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

/// `assign` on a `github: true` repository, through the built binary against the fake GitHub: the
/// issues' text and labels from GitHub, and the assigner's role from GitHub, lowered by the policy.
@Suite("agentsched assign from GitHub, end to end")
struct GitHubAssignTests {
    static let token = "ghp_fakeAssignToken0123456789abcdef"

    /// The example workspace with `acme/api` on `github`, and the token in `GITHUB_TOKEN`.
    static func workspace(_ github: FakeGitHubServer) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace()
        try workspace.write(
            "agentsched.yaml",
            """
            github:
              api-url: \(github.apiURL.absoluteString)
              token-env: GITHUB_TOKEN
            repositories:
              acme/api: { github: true }
              acme/webapp: { path: repos/webapp }
            """)
        github.addToken(token, login: "agentsched-bot")
        github.addRepository("acme/api", cloneURL: "https://github.invalid/acme/api.git")
        return workspace
    }

    static func run(
        _ arguments: [String], in workspace: borrowing TemporaryWorkspace, token: String = token
    ) async throws -> AgentschedProcess.Result {
        try await AgentschedProcess.run(arguments, in: workspace.url, environment: ["GITHUB_TOKEN": token])
    }

    @Test("--label lists the open labelled issues over every page, skips pull requests, and queues each with its text")
    func assignByLabelOverThreePages() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("write", for: "alice", in: "acme/api")
            var labelled: [Int] = []
            for index in 1...250 {
                labelled.append(
                    github.addIssue(in: "acme/api", title: "Bug \(index)", body: "Steps \(index)", labels: ["bug"]))
                if index % 50 == 0 {
                    github.addPullRequest(in: "acme/api", head: "fix-\(index)", title: "Fix \(index)", labels: ["bug"])
                    github.addIssue(in: "acme/api", title: "Closed \(index)", labels: ["bug"], state: "closed")
                    github.addIssue(in: "acme/api", title: "Idea \(index)", labels: ["enhancement"])
                }
            }
            let result = try await Self.run(
                ["assign", "--repo", "acme/api", "--label", "bug", "--agent", "implementer", "--as", "alice"],
                in: workspace)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("250 queued\n"), "\(result.stdout.suffix(200))")
            let lists = github.requests.filter { $0.path == "/repos/acme/api/issues" }
            #expect(lists.count == 3)
            #expect(lists.allSatisfy { $0.target.contains("per_page=100") && $0.target.contains("labels=bug") })
            let ledger = try SQLiteLedger(path: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path)
            let sessions = try await ledger.sessions(in: [.queued])
            #expect(sessions.map(\.issue).sorted() == labelled)
            let show = try await Self.run(["sessions", "show", "\(sessions[0].id)"], in: workspace)
            #expect(show.stdout.contains("acme/api#\(sessions[0].issue) Bug "), "\(show.stdout)")
            // One permission question for the whole batch: the answer is remembered.
            #expect(github.requests.count { $0.path.hasSuffix("/collaborators/alice/permission") } == 1)
        }
    }

    @Test("--issues fetches each issue's title, body and labels, so --route picks by GitHub's labels")
    func assignNumbersWithRouting() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("admin", for: "carol", in: "acme/api")
            let bug = github.addIssue(in: "acme/api", title: "Crash on start", body: "Run it twice.", labels: ["bug"])
            let docs = github.addIssue(in: "acme/api", title: "Explain flags", labels: ["documentation"])
            let result = try await Self.run(
                ["assign", "--repo", "acme/api", "--issues", "\(bug),\(docs)", "--route", "--as", "carol"],
                in: workspace)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("#\(bug)     implementer"), "\(result.stdout)")
            #expect(result.stdout.contains("#\(docs)     docs-writer"), "\(result.stdout)")
            let show = try await Self.run(["sessions", "show", "1"], in: workspace)
            #expect(show.stdout.contains("acme/api#\(bug) Crash on start"), "\(show.stdout)")
        }
    }

    @Test(
        "the assigner's role is GitHub's, which the policy may lower but never raise",
        arguments: [
            // (GitHub's role, user, expected line)
            ("read", "eve", "denied: eve's role in acme/api is read; agent implementer (write) needs write or above"),
            ("none", "eve", "denied: eve has no access to acme/api on GitHub (permission none); write is needed"),
            (
                nil, "eve",
                "denied: eve's permission in acme/api could not be checked: eve is not a collaborator of acme/api"
            ),
            ("admin", "bob", "denied: bob's role in acme/api is read; agent implementer (write) needs write or above"),
            (
                "read", "alice",
                "denied: alice's role in acme/api is read; agent implementer (write) needs write or above"
            ),
            ("maintain", "eve", "queued as session 1"),
            ("admin", "alice", "queued as session 1"),
        ] as [(String?, String, String)])
    func permissionFromGitHub(role: String?, user: String, expected: String) async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            if let role { github.setPermission(role, for: user, in: "acme/api") }
            let issue = github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
            let result = try await Self.run(
                ["assign", "--repo", "acme/api", "--issues", "\(issue)", "--agent", "implementer", "--as", user],
                in: workspace)
            #expect(result.stdout.contains(expected), "\(result.stdout)\(result.stderr)")
            #expect(result.status == (expected.hasPrefix("denied") ? 3 : 0))
        }
    }

    @Test("a permission GitHub cannot give denies: a refused token, GitHub down, no token at all")
    func permissionFailsClosed() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("write", for: "alice", in: "acme/api")
            try workspace.write(
                "issues.yaml", "repository: acme/api\nissues:\n  - { number: 7, title: Crash, labels: [bug] }\n")
            let arguments = [
                "assign", "--repo", "acme/api", "--issues-file", "issues.yaml", "--agent", "implementer", "--as",
                "alice",
            ]
            let refused = try await Self.run(arguments, in: workspace, token: "ghp_revoked")
            #expect(refused.status == 3)
            #expect(
                refused.stdout.contains(
                    "denied: alice's permission in acme/api could not be checked: the forge refused the token in "
                        + "$GITHUB_TOKEN (401 Unauthorized)"), "\(refused.stdout)")
            let missing = try await Self.run(arguments, in: workspace, token: "")
            #expect(missing.status == 3)
            #expect(
                missing.stdout.contains(
                    "denied: alice's permission in acme/api could not be checked: no forge token: $GITHUB_TOKEN is not set"
                ), "\(missing.stdout)")
            github.inject(.serverError(503), count: 20)
            let down = try await Self.run(arguments, in: workspace)
            #expect(down.status == 3)
            #expect(down.stdout.contains("alice's permission in acme/api could not be checked"), "\(down.stdout)")
            let ledger = try SQLiteLedger(path: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path)
            #expect(try await ledger.sessions(in: [.queued]).isEmpty)
        }
    }

    @Test("an unknown issue, a pull request's number and a refused token fail with one line and queue nothing")
    func fetchFailures() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("write", for: "alice", in: "acme/api")
            let issue = github.addIssue(in: "acme/api", title: "Crash on start")
            let pull = github.addPullRequest(in: "acme/api", head: "topic", title: "A change")
            for (numbers, token, message) in [
                ("\(issue),99", Self.token, "error: issue #99 was not found in acme/api"),
                ("\(pull)", Self.token, "error: #\(pull) in acme/api is a pull request, not an issue"),
                ("\(issue)", "ghp_wrong", "error: the forge refused the token in $GITHUB_TOKEN (401 Unauthorized)"),
                ("\(issue)", "", "error: no forge token: $GITHUB_TOKEN is not set"),
            ] {
                let result = try await Self.run(
                    ["assign", "--repo", "acme/api", "--issues", numbers, "--agent", "implementer", "--as", "alice"],
                    in: workspace, token: token)
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
                #expect(!result.stderr.contains("ghp_"))
            }
            #expect(
                !FileManager.default.fileExists(
                    atPath: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path))
        }
    }

    @Test("a rate-limit storm while listing slows the assignment and fails nothing")
    func rateLimitStorm() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("write", for: "alice", in: "acme/api")
            for index in 1...120 { github.addIssue(in: "acme/api", title: "Bug \(index)", labels: ["bug"]) }
            github.inject(.secondaryRateLimit(retryAfter: 1), count: 3, path: "/repos/acme/api/issues")
            let result = try await Self.run(
                ["assign", "--repo", "acme/api", "--label", "bug", "--agent", "implementer", "--as", "alice"],
                in: workspace)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("120 queued\n"))
            #expect(github.requests.count { $0.status == 403 || $0.status == 429 } == 3)
        }
    }

    @Test("the token is in no output, no ledger row and no file of the state folder")
    func tokenStaysOut() async throws {
        try await FakeGitHubServer.withServer { github in
            let workspace = try Self.workspace(github)
            github.setPermission("write", for: "alice", in: "acme/api")
            github.addIssue(in: "acme/api", title: "Leak \(Self.token)", body: "token: \(Self.token)", labels: ["bug"])
            let result = try await Self.run(
                ["assign", "--repo", "acme/api", "--label", "bug", "--agent", "implementer", "--as", "alice"],
                in: workspace)
            #expect(result.status == 0, "\(result.stderr)")
            let show = try await Self.run(["sessions", "show", "1"], in: workspace)
            let list = try await Self.run(["sessions", "list", "--format", "json"], in: workspace)
            for text in [result.stdout, result.stderr, show.stdout, list.stdout] {
                #expect(!text.contains(Self.token), "\(text)")
            }
            let state = workspace.url.appendingPathComponent(".agentsched")
            for file in try FileManager.default.subpathsOfDirectory(atPath: state.path) {
                let data = (try? Data(contentsOf: state.appendingPathComponent(file))) ?? Data()
                #expect(data.range(of: Data(Self.token.utf8)) == nil, "\(file)")
            }
        }
    }
}
