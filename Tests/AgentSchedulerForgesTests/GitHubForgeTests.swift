import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerTesting
import Foundation
import Testing

@Suite("GitHubForge against the fake GitHub")
struct GitHubForgeTests {
    @Test func listingByLabelFollowsThreePagesAndSkipsPullRequests() async throws {
        try await withGitHub { github, forge, _, _ in
            var bugs: Set<Int> = []
            for index in 0..<300 {
                if index % 10 == 3 {
                    github.addPullRequest(in: "acme/api", head: "pr-\(index)", title: "PR \(index)", labels: ["bug"])
                } else {
                    let number = github.addIssue(
                        in: "acme/api", title: "Issue \(index)", body: index % 2 == 0 ? nil : "body \(index)",
                        labels: index % 5 == 0 ? ["docs"] : ["Bug", "p\(index % 3)"])
                    if index % 5 != 0 { bugs.insert(number) }
                }
            }
            github.addIssue(in: "acme/api", title: "closed", labels: ["bug"], state: "closed")
            let issues = try await forge.issues(in: "acme/api", matching: IssueQuery(label: "bug"))
            #expect(Set(issues.map(\.number)) == bugs)
            #expect(issues.count == bugs.count)
            #expect(issues.map(\.number) == issues.map(\.number).sorted(by: >))
            let listings = github.requests.filter { $0.path == "/repos/acme/api/issues" }
            // 210 issues and 30 pull requests carry the label: three pages of 100.
            #expect(listings.count == 3)
            #expect(listings.allSatisfy { $0.target.contains("per_page=100") && $0.target.contains("labels=bug") })
            let first = try #require(issues.last)
            #expect(first.title == "Issue 1")
            #expect(first.body == "body 1")
            #expect(first.labels == ["Bug", "p1"])
            #expect(issues.first(where: { $0.title == "Issue 2" })?.body == "")
        }
    }

    @Test func listingByAssigneeAndState() async throws {
        try await withGitHub { github, forge, _, _ in
            let mine = github.addIssue(in: "acme/api", title: "mine", assignees: ["mona"])
            github.addIssue(in: "acme/api", title: "theirs", assignees: ["hubot"])
            let closed = github.addIssue(in: "acme/api", title: "old", assignees: ["mona"], state: "closed")
            let open = try await forge.issues(in: "acme/api", matching: IssueQuery(assignee: "mona"))
            #expect(open.map(\.number) == [mine])
            let all = try await forge.issues(in: "acme/api", matching: IssueQuery(state: .all, assignee: "mona"))
            #expect(all.map(\.number) == [closed, mine])
        }
    }

    @Test func oneIssueByNumberAndAPullRequestIsNotAnIssue() async throws {
        try await withGitHub { github, forge, _, _ in
            let issue = github.addIssue(in: "acme/api", title: "Crash", body: "It crashes.", labels: ["bug"])
            let pull = github.addPullRequest(in: "acme/api", head: "fix", title: "Fix the crash")
            let fetched = try await forge.issue(issue, in: "acme/api")
            #expect(
                fetched
                    == AgentSchedulerForges.Issue(number: issue, title: "Crash", body: "It crashes.", labels: ["bug"]))
            let asPull = await forgeError { _ = try await forge.issue(pull, in: "acme/api") }
            #expect(asPull == .notFound("#\(pull) in acme/api is a pull request, not an issue"))
            let missing = await forgeError { _ = try await forge.issue(99, in: "acme/api") }
            #expect(missing == .notFound("issue #99 was not found in acme/api"))
        }
    }

    static let roles: [(role: String, expected: RepositoryRole?)] = [
        ("admin", .admin), ("maintain", .maintain), ("write", .write), ("triage", .triage), ("read", .read),
        ("none", nil),
    ]

    @Test(arguments: roles)
    func permissionPrefersTheRoleName(role: String, expected: RepositoryRole?) async throws {
        try await withGitHub { github, forge, _, _ in
            github.setPermission(role, for: "mona", in: "acme/api")
            let granted = try await forge.permission(of: "mona", in: "acme/api")
            #expect(granted == expected)
        }
    }

    @Test func aCustomRoleFallsBackToThePermissionField() async throws {
        try await withGitHub { github, forge, _, _ in
            github.setPermission("security-manager", permission: "write", for: "mona", in: "acme/api")
            let granted = try await forge.permission(of: "mona", in: "acme/api")
            #expect(granted == .write)
        }
    }

    @Test func permissionOfAnUnknownUserIsNotFound() async throws {
        try await withGitHub { github, forge, _, _ in
            let error = await forgeError { _ = try await forge.permission(of: "nobody", in: "acme/api") }
            #expect(
                error
                    == .notFound("nobody is not a collaborator of acme/api on GitHub, or the repository was not found"))
        }
    }

    @Test func repositoryAndCurrentUser() async throws {
        try await withGitHub(pathPrefix: "/api/v3") { github, forge, _, _ in
            let repository = try await forge.repository("acme/api")
            #expect(
                repository
                    == ForgeRepository(
                        name: "acme/api", defaultBranch: "main", cloneURL: "file:///srv/git/acme/api.git"))
            #expect(try await forge.currentUser() == "agentsched-bot")
            #expect(try await forge.currentUser() == "agentsched-bot")
            #expect(github.requests.filter { $0.path == "/user" }.count == 1)
        }
    }

    @Test func underAnEnterprisePrefixEveryPageStaysUnderIt() async throws {
        try await withGitHub(pathPrefix: "/api/v3") { github, forge, _, _ in
            for index in 0..<150 { github.addIssue(in: "acme/api", title: "Issue \(index)") }
            let issues = try await forge.issues(in: "acme/api", matching: IssueQuery())
            #expect(issues.count == 150)
            #expect(github.requests.map(\.status) == [200, 200])
            #expect(github.requests.last?.target.contains("page=2") == true)
        }
    }

    @Test func aMissingRepositoryIsNamedWithTheVariable() async throws {
        try await withGitHub { _, forge, _, _ in
            let error = await forgeError { _ = try await forge.repository("acme/nothing") }
            #expect(
                error
                    == .notFound(
                        "repository acme/nothing was not found on GitHub, or the token in $AGENTSCHED_TEST_TOKEN cannot see it"
                    ))
        }
    }

    @Test(arguments: ["acme", "acme/api/extra", "acme/a b", "../api"])
    func aBadRepositoryNameIsRefusedBeforeAnyRequest(name: String) async throws {
        try await withGitHub { github, forge, _, _ in
            let error = await forgeError { _ = try await forge.repository(name) }
            guard case .notFound = error else {
                Testing.Issue.record("expected notFound, got \(String(describing: error))")
                return
            }
            #expect(github.requests.isEmpty)
        }
    }

    @Test func openingAPullRequestRequestsReviewAndAssigns() async throws {
        try await withGitHub { github, forge, _, _ in
            github.setPermission("write", for: "mona", in: "acme/api")
            let request = NewPullRequest(
                repository: "acme/api", head: "feature", base: "main", title: "Fix #12", body: "Fixes #12",
                reviewers: ["mona", "agentsched-bot"], assignees: ["mona"])
            let opened = try await forge.openPullRequest(request)
            #expect(opened.head == "feature")
            #expect(opened.base == "main")
            #expect(opened.draft)
            #expect(opened.url.hasSuffix("/acme/api/pull/\(opened.number)"))
            let stored = try #require(github.pullRequests(in: "acme/api").first)
            #expect(stored.author == "agentsched-bot")
            #expect(stored.body == "Fixes #12")
            #expect(stored.draft)
            #expect(stored.requestedReviewers == ["mona"])
            #expect(stored.assignees == ["mona"])
            #expect(try await forge.pullRequest(head: "feature", in: "acme/api") == opened)
            #expect(try await forge.pullRequest(head: "other", in: "acme/api") == nil)

            let again = await forgeError { _ = try await forge.openPullRequest(request) }
            #expect(again == .conflict("a pull request from feature is already open in acme/api"))
        }
    }

    @Test func aReviewerGitHubRefusesLeavesThePullRequestOpenWithAWarning() async throws {
        try await withGitHub { github, forge, _, logs in
            let request = NewPullRequest(
                repository: "acme/api", head: "feature", base: "main", title: "T", body: "B", reviewers: ["stranger"])
            let opened = try await forge.openPullRequest(request)
            #expect(github.pullRequests(in: "acme/api").map(\.number) == [opened.number])
            #expect(github.pullRequests(in: "acme/api").first?.requestedReviewers == [])
            #expect(logs.text.contains { $0.hasPrefix("warning GitHub would not request review from stranger") })
        }
    }

    @Test func aPullRequestFromAnUnknownBranchIsRefusedWithGitHubsMessage() async throws {
        try await withGitHub { github, forge, _, _ in
            let request = NewPullRequest(repository: "acme/api", head: "nowhere", base: "main", title: "T", body: "B")
            let error = await forgeError { _ = try await forge.openPullRequest(request) }
            guard case .conflict(let message) = error else {
                Testing.Issue.record("expected conflict, got \(String(describing: error))")
                return
            }
            #expect(message.contains("Validation Failed"))
            #expect(!message.contains("\n"))
            #expect(github.pullRequests(in: "acme/api").isEmpty)
        }
    }

    @Test func commentsGoOnTheIssue() async throws {
        try await withGitHub { github, forge, _, _ in
            let issue = github.addIssue(in: "acme/api", title: "Crash")
            try await forge.comment(on: issue, in: "acme/api", body: "agentsched is working on it")
            let comments = github.comments(on: issue, in: "acme/api")
            #expect(comments.map(\.body) == ["agentsched is working on it"])
            #expect(comments.map(\.author) == ["agentsched-bot"])
            let missing = await forgeError { try await forge.comment(on: 404, in: "acme/api", body: "x") }
            #expect(missing == .notFound("issue or pull request #404 was not found in acme/api"))
        }
    }

    @Test func everyRequestCarriesTheHeadersGitHubWants() async throws {
        try await withGitHub { github, forge, _, _ in
            _ = try await forge.repository("acme/api")
            let request = try #require(github.requests.first)
            #expect(request.status == 200)
            #expect(request.authorized)
        }
    }
}
