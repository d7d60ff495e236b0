import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// `run` on a `github: true` repository through the built binary: the fake GitHub for the API,
    /// the real `git http-backend` (behind the token) for clone and push, the fake model server.
    @Suite("agentsched run on GitHub: a pushed branch, a draft pull request, the token nowhere")
    struct GitHubRunTests {
        static let token = "ghp_fakeRunToken0123456789abcdefABCD"

        /// The servers and the workspace one test uses.
        struct World: ~Copyable {
            let fixture: RunFixture
            let github: FakeGitHubServer
            let git: GitHTTPServer
            let bare: URL
            let issue: Int

            /// Assigns the world's issue to the implementer, as alice (agentsched.yaml's user).
            @discardableResult
            func assignIssue() async throws -> AgentschedProcess.Result {
                try await run("assign", "--repo", "acme/api", "--issues", "\(issue)", "--agent", "implementer")
            }

            /// `agentsched ARGUMENTS` with the model key and the forge token in the environment.
            func run(_ arguments: String...) async throws -> AgentschedProcess.Result {
                try await BackgroundAgentsched.run(
                    arguments, in: fixture.workspace.url,
                    environment: RunFixture.environment.merging(["GITHUB_TOKEN": GitHubRunTests.token]) { $1 })
            }
        }

        /// Runs `body` with a workspace whose `acme/api` is on the fake GitHub, cloned over HTTP from
        /// a bare repository that needs the token, and one issue there that alice (write) may assign.
        static func withWorld(budget: Int = 100, _ body: (borrowing World) async throws -> Void) async throws {
            let remotes = FileManager.default.temporaryDirectory.appendingPathComponent("remotes-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: remotes) }
            let bare = try await GitHTTPServer.makeRepository(
                "acme/api", under: remotes, files: ["README.md": "# api\n", "AGENTS.md": "Keep changes small.\n"])
            try await GitHTTPServer.withServer(root: remotes, token: token) { git in
                try await FakeModelServer.withServer { server in
                    try await FakeGitHubServer.withServer { github in
                        github.addToken(token, login: "agentsched-bot")
                        github.addRepository("acme/api", cloneURL: git.cloneURL(for: "acme/api"), acceptsAnyHead: true)
                        github.setPermission("write", for: "alice", in: "acme/api")
                        let issue = github.addIssue(
                            in: "acme/api", title: "Document the API", body: "Add NOTES.md.", labels: ["bug"])
                        let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: budget))
                        try fixture.workspace.write(
                            "agentsched.yaml",
                            """
                            user: alice
                            github:
                              api-url: \(github.apiURL.absoluteString)
                            repositories:
                              acme/api: { github: true }
                              acme/webapp: { path: repos/webapp }
                            """)
                        let world = World(fixture: fixture, github: github, git: git, bare: bare, issue: issue)
                        try await body(world)
                    }
                }
            }
        }

        static let fix: [FakeModelStep] = [
            .toolCalls([("edit", #"{"path":"NOTES.md","content":"How to call the API.\n"}"#)]),
            .text("Added NOTES.md, which says how to call the API."),
        ]

        @Test("a completed session pushes its branch and opens a draft pull request with body, reviewer and assignee")
        func pushAndDraftPullRequest() async throws {
            try await Self.withWorld { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                let assign = try await world.assignIssue()
                #expect(assign.status == 0, "\(assign.stderr)")
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await world.fixture.ledger().session(1))
                #expect(session.state == .completed, "\(session.reason ?? "")")
                let branch = try #require(session.outputs.branch)
                // The branch is on the remote, with the agent's file.
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: world.bare)
                        == "How to call the API.\n")
                let pull = try #require(world.github.pullRequests(in: "acme/api").first)
                #expect(pull.head == branch)
                #expect(pull.base == "main")
                #expect(pull.draft)
                #expect(pull.title == "#\(world.issue): Document the API")
                #expect(pull.body.hasPrefix("Added NOTES.md, which says how to call the API."))
                #expect(pull.body.contains("Fixes #\(world.issue)"))
                #expect(
                    pull.body.contains("session 1, agent `implementer`, model `claude-sonnet-4.5`, 1 premium request"))
                #expect(pull.requestedReviewers == ["alice"])
                #expect(world.github.assignees(of: pull.number, in: "acme/api") == ["alice"])
                #expect(session.outputs.pullRequest?.number == pull.number)
                // The issue heard once that the agent started on it, and nothing more.
                let comments = world.github.comments(on: world.issue, in: "acme/api").map(\.body)
                #expect(
                    comments == [
                        "agentsched: agent `implementer` is working on this issue as session 1, assigned by @alice."
                    ])
                let show = try await world.run("sessions", "show", "1")
                #expect(show.stdout.contains("pull request #\(pull.number) "), "\(show.stdout)")
                let list = try await world.run("sessions", "list", "--format", "json")
                let listed = try #require(
                    try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
                let link = listed.first?["pull_request"] as? [String: Any]
                #expect(link?["number"] as? Int == pull.number)
                #expect(link?["url"] as? String == "https://github.example/acme/api/pull/\(pull.number)")
                #expect(run.stdout.contains("pull request #\(pull.number)"), "\(run.stdout)")
                // The git server saw the token on every request, as a header (it refuses others).
                #expect(world.git.requests.contains { $0.method == "POST" && $0.target.hasSuffix("git-receive-pack") })
                #expect(world.git.requests.filter { $0.status != 401 }.allSatisfy { $0.authorised })
            }
        }

        @Test("the token is in no file under .agentsched/, no clone's .git/config, no event and no output")
        func tokenStaysOut() async throws {
            try await Self.withWorld { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                let assign = try await world.assignIssue()
                let run = try await world.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                let logs = try await world.run("sessions", "logs", "1")
                let show = try await world.run("sessions", "show", "1")
                let encoded = Data("x-access-token:\(Self.token)".utf8).base64EncodedString()
                for text in [assign.stdout, assign.stderr, run.stdout, run.stderr, logs.stdout, show.stdout] {
                    #expect(!text.contains(Self.token))
                    #expect(!text.contains(encoded))
                }
                let state = world.fixture.workspace.url.appendingPathComponent(".agentsched")
                let files = try FileManager.default.subpathsOfDirectory(atPath: state.path)
                #expect(files.contains { $0.hasPrefix("repos/acme/api") })
                for file in files {
                    let data = (try? Data(contentsOf: state.appendingPathComponent(file))) ?? Data()
                    #expect(data.range(of: Data(Self.token.utf8)) == nil, "\(file)")
                    #expect(data.range(of: Data(encoded.utf8)) == nil, "\(file)")
                }
                let events = try await world.fixture.ledger().events(session: nil, after: 0)
                #expect(!events.contains { $0.data.values.contains { $0.contains(Self.token) } })
                // The model never saw it either.
                for request in world.fixture.server.requests(for: "paid") {
                    #expect(String(decoding: request.body, as: UTF8.self).contains(Self.token) == false)
                }
            }
        }

        @Test("a push the remote refuses ends the session failed with git's reason, and keeps the branch here")
        func refusedPush() async throws {
            try await Self.withWorld { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                try GitHTTPServer.protect(branch: "agentsched/\(world.issue)-implementer-1", in: world.bare)
                try await world.assignIssue()
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await world.fixture.ledger().session(1))
                #expect(session.state == .failed)
                #expect(
                    session.reason?.contains("GH006: Protected branch update failed") == true, "\(session.reason ?? "")"
                )
                #expect(world.github.pullRequests(in: "acme/api").isEmpty)
                let comments = world.github.comments(on: world.issue, in: "acme/api").map(\.body)
                #expect(comments.count == 2)
                #expect(comments.last?.hasPrefix("agentsched: session 1 (agent `implementer`) failed: ") == true)
                #expect(comments.last?.contains("GH006") == true)
                let clone = world.fixture.workspace.url.appendingPathComponent(".agentsched/repos/acme/api")
                let branch = try #require(session.outputs.branch)
                #expect(
                    try await TestProcess.git(["show", "\(branch):NOTES.md"], in: clone) == "How to call the API.\n")
            }
        }

        @Test("a session blocked by the budget tells its issue once, across runs")
        func blockedIsCommentedOnce() async throws {
            try await Self.withWorld(budget: 0) { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                try await world.assignIssue()
                for _ in 0..<2 {
                    let run = try await world.run("run", "--until-idle", "--progress", "none")
                    #expect(run.status == 0, "\(run.stderr)")
                }
                let session = try #require(try await world.fixture.ledger().session(1))
                #expect(session.state == .blocked)
                let comments = world.github.comments(on: world.issue, in: "acme/api").map(\.body)
                #expect(comments.count == 1, "\(comments)")
                #expect(
                    comments.first?.hasPrefix(
                        "agentsched: session 1 (agent `implementer`) is waiting (blocked): the budget of organisation acme"
                    ) == true, "\(comments)")
            }
        }

        @Test("a rate-limit storm on every GitHub call of a run slows it and fails nothing")
        func rateLimitStorm() async throws {
            try await Self.withWorld { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                try await world.assignIssue()
                world.github.inject(.secondaryRateLimit(retryAfter: 1), count: 2, path: "/repos/acme/api/pulls")
                world.github.inject(.primaryRateLimit(resetAfter: 1), count: 1, path: "/repos/acme/api/issues")
                world.github.inject(.serverError(502), count: 1, path: "/repos/acme/api")
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await world.fixture.ledger().session(1))
                #expect(session.state == .completed, "\(session.reason ?? "")")
                #expect(world.github.pullRequests(in: "acme/api").count == 1)
                #expect(world.github.comments(on: world.issue, in: "acme/api").count == 1)
                #expect(world.github.requests.count { [403, 429, 502].contains($0.status ?? 0) } == 4)
            }
        }

        @Test("access GitHub revoked after assign is seen at admission: the session is denied and does no work")
        func accessRevokedBeforeRun() async throws {
            try await Self.withWorld { world in
                world.fixture.server.setScript(Self.fix, for: "paid")
                try await world.assignIssue()
                world.github.setPermission("none", for: "alice", in: "acme/api")
                let run = try await world.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await world.fixture.ledger().session(1))
                #expect(session.state == .denied)
                #expect(
                    session.reason == "alice has no access to acme/api on GitHub (permission none); write is needed")
                #expect(world.fixture.server.requests(for: "paid").isEmpty)
                #expect(world.github.pullRequests(in: "acme/api").isEmpty)
            }
        }
    }
}
