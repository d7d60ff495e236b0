import AgentSchedulerCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The forge of repositories on GitHub or GitHub Enterprise Server, over the REST API (version
/// `2022-11-28`, DESIGN §8).
///
/// Every request carries the token as `Authorization: Bearer …` and nowhere else: not in a URL, a
/// log line or an error. Redirects are not followed and `Link` pages on another host are refused,
/// so the token never travels to another host. Rate limits are waited out (primary until
/// `x-ratelimit-reset`, secondary for `retry-after`) up to `Configuration.longestRateLimitWait`;
/// 5xx answers and connection failures are retried with exponential backoff up to
/// `Configuration.maxAttempts`. Every attempt and its outcome is one debug line on `logger`.
///
/// Waits go through `clock`, and rate-limit resets are read against `wallClock`, so tests can pass a
/// clock that does not sleep. Call ``shutdown()`` once no more requests are sent: the HTTP client it
/// owns, made on the first request, must be shut down before it is released.
public actor GitHubForge: Forge {
    /// Where the API is and how hard to try.
    public nonisolated let configuration: Configuration

    let logger: Logger
    let clock: any Clock<Duration>
    let wallClock: any WallClock
    var client: HTTPClient?
    var isShutDown = false
    var login: String?

    /// A forge speaking to `configuration.apiURL`; nothing is sent until the first call.
    public init(
        configuration: Configuration, logger: Logger, clock: any Clock<Duration> = ContinuousClock(),
        wallClock: any WallClock = SystemWallClock()
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.wallClock = wallClock
    }

    /// Closes the HTTP client's connections; later calls throw `CancellationError`. Calling it again
    /// does nothing.
    public func shutdown() async throws {
        isShutDown = true
        let running = client
        client = nil
        try await running?.shutdown()
    }

    // MARK: Forge

    public func currentUser() async throws -> String {
        if let login { return login }
        let user = try await get("/user").decode(GitHubWire.User.self)
        login = user.login
        return user.login
    }

    public func issues(in repository: String, matching query: IssueQuery) async throws -> [Issue] {
        let path = try repositoryPath(repository) + "/issues"
        var parameters = [("state", query.state.rawValue), ("per_page", "100")]
        if let label = query.label { parameters.append(("labels", label)) }
        if let assignee = query.assignee { parameters.append(("assignee", assignee)) }
        var issues: [Issue] = []
        var url: URL? = try endpoint(path, parameters)
        while let page = url {
            let reply = try await exchange("GET", page)
            try expectSuccess(reply, notFound: repositoryNotFound(repository))
            for entry in try reply.decode([GitHubWire.Issue].self) where entry.pullRequest == nil {
                issues.append(Self.issue(entry))
            }
            url = try nextPage(of: reply)
        }
        return issues
    }

    public func issue(_ number: Int, in repository: String) async throws -> Issue {
        let path = try repositoryPath(repository) + "/issues/\(number)"
        let missing = "issue #\(number) was not found in \(repository)"
        let reply = try await exchange("GET", try endpoint(path))
        try expectSuccess(reply, notFound: missing)
        let entry = try reply.decode(GitHubWire.Issue.self)
        guard entry.pullRequest == nil else {
            throw ForgeError.notFound("#\(number) in \(repository) is a pull request, not an issue")
        }
        return Self.issue(entry)
    }

    public func permission(of user: String, in repository: String) async throws -> RepositoryRole? {
        let path = try repositoryPath(repository) + "/collaborators/\(try Self.segment(user, what: "user"))/permission"
        let reply = try await exchange("GET", try endpoint(path))
        try expectSuccess(
            reply, notFound: "\(user) is not a collaborator of \(repository) on GitHub, or the repository was not found"
        )
        let answer = try reply.decode(GitHubWire.Permission.self)
        if let roleName = answer.roleName, let role = RepositoryRole(rawValue: roleName) { return role }
        if answer.permission == "none" { return nil }
        guard let role = RepositoryRole(rawValue: answer.permission) else {
            throw ForgeError.malformed("GET \(path) answered the unknown permission \(answer.permission)")
        }
        return role
    }

    public func repository(_ repository: String) async throws -> ForgeRepository {
        let reply = try await exchange("GET", try endpoint(try repositoryPath(repository)))
        try expectSuccess(reply, notFound: repositoryNotFound(repository))
        let answer = try reply.decode(GitHubWire.Repository.self)
        return ForgeRepository(name: repository, defaultBranch: answer.defaultBranch, cloneURL: answer.cloneUrl)
    }

    public func openPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        struct Create: Encodable {
            var title, head, base, body: String
            var draft: Bool
        }
        let base = try repositoryPath(request.repository)
        let create = Create(
            title: request.title, head: request.head, base: request.base, body: request.body, draft: request.draft)
        let reply = try await exchange("POST", try endpoint(base + "/pulls"), body: create)
        if reply.status == 422, reply.failureDetails.contains(where: { $0.contains("already exists") }) {
            throw ForgeError.conflict("a pull request from \(request.head) is already open in \(request.repository)")
        }
        if reply.status == 422 {
            throw ForgeError.conflict(
                "GitHub refused to open a pull request from \(request.head) to \(request.base) in \(request.repository): \(reply.failureSummary)"
            )
        }
        try expectSuccess(reply, notFound: repositoryNotFound(request.repository))
        let created = try reply.decode(GitHubWire.PullRequest.self)
        let author = created.user?.login
        let reviewers = request.reviewers.filter { $0.caseInsensitiveCompare(author ?? "") != .orderedSame }
        if !reviewers.isEmpty {
            await attach(
                ["reviewers": reviewers], to: base + "/pulls/\(created.number)/requested_reviewers",
                what: "request review from")
        }
        if !request.assignees.isEmpty {
            await attach(
                ["assignees": request.assignees], to: base + "/issues/\(created.number)/assignees", what: "assign")
        }
        return Self.pullRequest(created, in: request.repository)
    }

    public func pullRequest(head: String, in repository: String) async throws -> PullRequest? {
        let path = try repositoryPath(repository) + "/pulls"
        let owner = String(repository.prefix(while: { $0 != "/" }))
        let reply = try await exchange("GET", try endpoint(path, [("head", "\(owner):\(head)"), ("state", "open")]))
        try expectSuccess(reply, notFound: repositoryNotFound(repository))
        return try reply.decode([GitHubWire.PullRequest].self).first.map { Self.pullRequest($0, in: repository) }
    }

    public func comment(on number: Int, in repository: String, body: String) async throws {
        let path = try repositoryPath(repository) + "/issues/\(number)/comments"
        let reply = try await exchange("POST", try endpoint(path), body: ["body": body], repeatable: false)
        try expectSuccess(reply, notFound: "issue or pull request #\(number) was not found in \(repository)")
    }

    // MARK: Helpers

    /// Asks GitHub to add reviewers or assignees to a pull request just opened. A refusal is logged
    /// as a warning rather than thrown, so the pull request itself is never lost.
    private func attach(_ body: [String: [String]], to path: String, what: String) async {
        let logins = body.values.joined().joined(separator: ", ")
        do {
            let reply = try await exchange("POST", try endpoint(path), body: body)
            try expectSuccess(reply, notFound: "\(path) was not found")
        } catch {
            logger.warning(
                "GitHub would not \(what) \(logins)",
                metadata: ["path": .string(path), "reason": .string(String(describing: error))])
        }
    }

    private func repositoryNotFound(_ repository: String) -> String {
        "repository \(repository) was not found on GitHub, or the token in $\(configuration.tokenVariable) cannot see it"
    }

    static func issue(_ entry: GitHubWire.Issue) -> Issue {
        Issue(number: entry.number, title: entry.title, body: entry.body ?? "", labels: entry.labels.map(\.name))
    }

    static func pullRequest(_ entry: GitHubWire.PullRequest, in repository: String) -> PullRequest {
        let state: PullRequest.State =
            entry.mergedAt != nil ? .merged : (entry.state == "open" ? .open : .closed)
        return PullRequest(
            repository: repository, number: entry.number, url: entry.htmlUrl, head: entry.head.ref,
            base: entry.base.ref, title: entry.title, state: state, draft: entry.draft ?? false)
    }
}
