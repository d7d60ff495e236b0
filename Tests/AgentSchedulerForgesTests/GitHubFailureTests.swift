import AgentSchedulerForges
import AgentSchedulerTesting
import Foundation
import Testing

@Suite("GitHubForge under GitHub's limits and failures")
struct GitHubFailureTests {
    static let storms: [FakeGitHubFault] = [
        .primaryRateLimit(resetAfter: 30, status: 403), .primaryRateLimit(resetAfter: 30, status: 429),
        .secondaryRateLimit(retryAfter: 45, status: 429), .secondaryRateLimit(retryAfter: 45, status: 403),
    ]

    @Test(arguments: storms)
    func aRateLimitStormSlowsAndFailsNothing(fault: FakeGitHubFault) async throws {
        try await withGitHub { github, forge, clock, _ in
            for index in 0..<150 {
                github.addIssue(in: "acme/api", title: "Issue \(index)", labels: ["bug"])
            }
            github.inject(fault, count: 3, path: "/repos/acme/api/issues")
            let issues = try await forge.issues(in: "acme/api", matching: IssueQuery(label: "bug"))
            #expect(issues.count == 150)
            #expect(clock.sleeps.count == 3)
            // Each wait is the one GitHub asked for. The primary limit's reset is a wall-clock second,
            // so a loaded machine that reads the answer late waits a little less; never the short
            // default backoff.
            #expect(clock.sleeps.allSatisfy { $0 >= .seconds(20) && $0 <= .seconds(47) }, "\(clock.sleeps)")
            #expect(github.requests.filter { $0.status == 200 }.count == 2)
        }
    }

    @Test func aRateLimitLongerThanAcceptedThrowsWithItsEnd() async throws {
        try await withGitHub(longestRateLimitWait: .seconds(60)) { github, forge, clock, _ in
            github.inject(.primaryRateLimit(resetAfter: 3600), path: "/repos/acme/api")
            let before = Date()
            let error = await forgeError { _ = try await forge.repository("acme/api") }
            guard case .rateLimited(let until) = error else {
                Testing.Issue.record("expected rateLimited, got \(String(describing: error))")
                return
            }
            #expect(until > before.addingTimeInterval(3000))
            #expect(clock.sleeps.isEmpty)
        }
    }

    @Test(arguments: [500, 502, 503])
    func serverErrorsAreRetriedWithGrowingWaits(status: Int) async throws {
        try await withGitHub(maxAttempts: 4) { github, forge, clock, _ in
            github.inject(.serverError(status), count: 3)
            let repository = try await forge.repository("acme/api")
            #expect(repository.defaultBranch == "main")
            #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
        }
    }

    @Test func serverErrorsPastTheAttemptsMakeItUnreachable() async throws {
        try await withGitHub(maxAttempts: 3) { github, forge, _, _ in
            github.inject(.serverError(502), count: 5)
            let error = await forgeError { _ = try await forge.repository("acme/api") }
            #expect(error == .unreachable("GET /repos/acme/api answered 502 3 times"))
            #expect(github.requests.count == 3)
        }
    }

    @Test(arguments: [FakeGitHubFault.serverError(502), .dropConnection])
    func aCommentIsNeverSentTwiceWhenItsOutcomeIsUnknown(fault: FakeGitHubFault) async throws {
        try await withGitHub(maxAttempts: 4) { github, forge, clock, _ in
            let issue = github.addIssue(in: "acme/api", title: "Crash")
            github.inject(fault, count: 1, path: "/repos/acme/api/issues/\(issue)/comments")
            let error = await forgeError { try await forge.comment(on: issue, in: "acme/api", body: "hello") }
            guard case .unreachable(let reason) = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("may have been done; not sent again"))
            #expect(github.requests.count { $0.method == "POST" } == 1)
            #expect(clock.sleeps.isEmpty)
            // A rate limit comes before anything is written: that is waited out and sent again.
            github.inject(
                .secondaryRateLimit(retryAfter: 2), count: 1, path: "/repos/acme/api/issues/\(issue)/comments")
            try await forge.comment(on: issue, in: "acme/api", body: "hello")
            #expect(github.comments(on: issue, in: "acme/api").map(\.body) == ["hello"])
        }
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await withGitHub { github, forge, clock, _ in
            github.inject(.dropConnection, count: 2)
            let login = try await forge.currentUser()
            #expect(login == "agentsched-bot")
            #expect(clock.sleeps.count == 2)
        }
    }

    @Test func aHangingAnswerTimesOutAndIsRetried() async throws {
        // The timeout is generous and attempts are many, so a loaded machine's slow answers do not
        // fail the test: only the one hanging request must time out.
        try await withGitHub(maxAttempts: 8, requestTimeout: .seconds(5)) { github, forge, _, _ in
            github.inject(.hang, count: 1, path: "/repos/acme/api")
            let repository = try await forge.repository("acme/api")
            #expect(repository.defaultBranch == "main")
            #expect(github.requests.first?.status == nil)
            #expect(github.requests.last?.status == 200)
        }
    }

    @Test func hangingPastTheAttemptsIsUnreachable() async throws {
        try await withGitHub(maxAttempts: 2, requestTimeout: .milliseconds(300)) { github, forge, _, _ in
            github.inject(.hang, count: 2)
            let error = await forgeError { _ = try await forge.repository("acme/api") }
            guard case .unreachable(let reason) = error else {
                Testing.Issue.record("expected unreachable, got \(String(describing: error))")
                return
            }
            #expect(reason.hasPrefix("GET /repos/acme/api failed 2 times"))
            #expect(!reason.contains("\n"))
        }
    }

    @Test func aBadTokenIsUnauthorizedAndNamesTheVariable() async throws {
        try await FakeGitHubServer.withServer { github in
            github.addRepository("acme/api", cloneURL: "file:///x.git")
            let logs = LogCapture()
            let configuration = try GitHubForge.Configuration(
                apiURL: github.apiURL, tokenVariable: "GH_TOKEN_FOR_TESTS", token: testToken)
            let forge = GitHubForge(configuration: configuration, logger: logs.logger, clock: SkippingClock())
            let error = await forgeError { _ = try await forge.repository("acme/api") }
            try await forge.shutdown()
            #expect(error == .unauthorized(variable: "GH_TOKEN_FOR_TESTS"))
            #expect(error?.description.contains("$GH_TOKEN_FOR_TESTS") == true)
            #expect(github.requests.map(\.status) == [401])
            #expect(github.requests.allSatisfy { !$0.authorized })
        }
    }

    @Test func anEmptyTokenIsMissingAndAConfigurationNeverPrintsTheToken() throws {
        #expect(throws: ForgeError.missingToken(variable: "GITHUB_TOKEN")) {
            try GitHubForge.Configuration(token: "")
        }
        let configuration = try GitHubForge.Configuration(token: testToken)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.debugDescription, "\(configuration)", dumped] {
            #expect(!text.contains(testToken))
        }
        #expect(configuration.description.contains("$GITHUB_TOKEN"))
    }

    @Test func theTokenIsInNoLogLineAndEveryRequestIsLogged() async throws {
        try await withGitHub { github, forge, _, logs in
            github.inject(.serverError(503))
            github.inject(.secondaryRateLimit(retryAfter: 1))
            let issue = github.addIssue(in: "acme/api", title: "T")
            _ = try await forge.issue(issue, in: "acme/api")
            _ = try await forge.currentUser()
            let missing = await forgeError { _ = try await forge.repository("acme/missing") }
            #expect(missing?.description.contains(testToken) == false)
            let lines = logs.text
            #expect(lines.count == github.requests.count)
            #expect(lines.allSatisfy { !$0.contains(testToken) && !$0.lowercased().contains("bearer") })
            #expect(lines.contains { $0.contains("outcome=503") && $0.contains("attempt=1") })
            #expect(lines.contains { $0.contains("rate-limit-remaining=") })
        }
    }
}
