import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A fake GitHub REST API on 127.0.0.1, as strict as GitHub where clients go wrong, over real HTTP.
///
/// Tests seed it (tokens and their logins, repositories with branches, issues and pull requests
/// sharing one number space, collaborators' permissions, reviews and comments "as a user"), point
/// the code under test at ``apiURL``, and inspect what it did (pull requests opened, comments
/// written, the request log).
///
/// It answers 403 without a `User-Agent`, 401 with `Bad credentials` for a missing or unknown
/// token, 400 for a missing or unsupported `X-GitHub-Api-Version`, 415 for a POST whose body is not
/// JSON by its `Content-Type`, 400 for JSON it cannot parse, 422 for what GitHub would refuse
/// (a second open pull request from one head, an unknown head or base branch, review requested from
/// the author or a non-collaborator), and 404 for unknown repositories, issues and users. Lists are
/// paginated with `per_page` (at most 100, 30 by default) and `page`, and a `Link` header; they carry
/// an `ETag` and answer `If-None-Match` with `304 Not Modified`, which does not count against the rate
/// limit. Every authenticated answer carries the `x-ratelimit-*` headers of a per-user budget
/// (``setRateLimit(_:window:)``). Faults (``inject(_:count:path:)``) come before the budget.
///
/// The request log keeps method, path and query, status and whether the request was conditional,
/// and whether its token was known; never the token. Every answer closes its connection.
///
/// ```swift
/// try await FakeGitHubServer.withServer { github in
///     github.addToken("t0ken", login: "agentsched-bot")
///     github.addRepository("acme/api", cloneURL: "file:///tmp/api.git")
///     let number = github.addIssue(in: "acme/api", title: "Crash on start", labels: ["bug"])
///     // run the code under test against github.apiURL
/// }
/// ```
public final class FakeGitHubServer: Sendable {
    /// The path under which the API is served: `""` (like api.github.com) or `/api/v3` (like GHES).
    public let pathPrefix: String

    private let server: LoopbackHTTPServer
    private let state: FakeGitHubState

    /// A server that serves under `pathPrefix`; it listens once ``run()`` is called.
    public init(pathPrefix: String = "") {
        precondition(
            pathPrefix.isEmpty || (pathPrefix.hasPrefix("/") && !pathPrefix.hasSuffix("/")),
            "FakeGitHubServer: a path prefix starts with / and does not end with one")
        self.pathPrefix = pathPrefix
        let state = FakeGitHubState()
        self.state = state
        server = LoopbackHTTPServer(timeout: 86_400) { port in
            FakeGitHubHandler(state: state, prefix: pathPrefix) {
                "http://127.0.0.1:\(port.current ?? 0)\(pathPrefix)"
            }
        }
    }

    /// Starts a server, waits until it listens, runs `body` with it and stops it, whether `body`
    /// returns or throws.
    public static func withServer<T>(
        pathPrefix: String = "", _ body: (FakeGitHubServer) async throws -> T
    )
        async throws -> T
    {
        let server = FakeGitHubServer(pathPrefix: pathPrefix)
        return try await server.server.serving { try await body(server) }
    }

    /// Listens and serves until ``stop()`` is called or the task is cancelled.
    public func run() async throws {
        try await server.run()
    }

    /// Waits until the server listens (at most a minute) and learns its port.
    public func waitUntilListening() async throws {
        try await server.waitUntilListening()
    }

    /// Stops listening, closes every connection and releases hanging requests.
    public func stop() async {
        await server.stop()
    }

    /// The API's root, `http://127.0.0.1:PORT` and the prefix; known once the server listens.
    public var apiURL: URL {
        guard let port = server.port.current else {
            preconditionFailure("FakeGitHubServer: call waitUntilListening() before asking for its URL")
        }
        return URL(string: "http://127.0.0.1:\(port)\(pathPrefix)")!
    }

    // MARK: Seeding

    /// Lets `token` in as `login` (a user the server then knows).
    public func addToken(_ token: String, login: String) {
        state.withLock {
            $0.tokens[token] = login
            $0.addUser(login)
        }
    }

    /// Makes `login` a user the server knows, without a token.
    public func addUser(_ login: String) {
        state.withLock { $0.addUser(login) }
    }

    /// Adds repository `name` (`OWNER/NAME`) with its default branch and the `clone_url` it
    /// reports. Pull requests may go from and to `branches` (the default branch is always one);
    /// with `acceptsAnyHead`, from any head.
    public func addRepository(
        _ name: String, defaultBranch: String = "main", cloneURL: String, branches: Set<String> = [],
        acceptsAnyHead: Bool = false
    ) {
        precondition(name.split(separator: "/").count == 2, "FakeGitHubServer: a repository is named OWNER/NAME")
        state.withLock {
            $0.repositories[name.lowercased()] = FakeGitHubStore.Repository(
                fullName: name, defaultBranch: defaultBranch, cloneURL: cloneURL,
                branches: branches.union([defaultBranch]), acceptsAnyHead: acceptsAnyHead)
            $0.addUser(String(name.prefix(while: { $0 != "/" })))
        }
    }

    /// Makes `branch` one that pull requests of `repository` may use.
    public func addBranch(_ branch: String, in repository: String) {
        mutate(repository) { $0.branches.insert(branch) }
    }

    /// Adds an issue and returns its number (the next in the repository's shared sequence).
    @discardableResult
    public func addIssue(
        in repository: String, title: String, body: String? = nil, labels: [String] = [], assignees: [String] = [],
        state issueState: String = "open", author: String = "octocat"
    ) -> Int {
        state.withLock { store in
            store.addUser(author)
            return Self.require(
                store.withRepository(repository) { repository in
                    repository.lastNumber += 1
                    repository.issues[repository.lastNumber] = FakeGitHubStore.Issue(
                        number: repository.lastNumber, title: title, body: body, labels: labels, assignees: assignees,
                        state: issueState, author: author, createdAt: Date())
                    return repository.lastNumber
                }, repository)
        }
    }

    /// Adds a pull request as `author` opened it (not through the API) and returns its number.
    @discardableResult
    public func addPullRequest(
        in repository: String, head: String, base: String? = nil, title: String, body: String = "",
        author: String = "octocat", draft: Bool = false, labels: [String] = [], state pullState: String = "open"
    ) -> Int {
        state.withLock { store in
            store.addUser(author)
            return Self.require(
                store.withRepository(repository) { repository in
                    repository.lastNumber += 1
                    repository.branches.insert(head)
                    repository.pulls[repository.lastNumber] = FakeGitHubPullRequest(
                        number: repository.lastNumber, title: title, body: body, head: head,
                        base: base ?? repository.defaultBranch, draft: draft, author: author, state: pullState,
                        requestedReviewers: [], assignees: [], labels: labels, createdAt: Date())
                    return repository.lastNumber
                }, repository)
        }
    }

    /// Makes `user` a collaborator of `repository` with GitHub's `role` (admin, maintain, write,
    /// triage, read); `permission` is what GitHub's older field says, by default the role mapped as
    /// GitHub maps it (maintain → write, triage → read). Role `none` answers `permission: none`.
    public func setPermission(_ role: String, permission: String? = nil, for user: String, in repository: String) {
        let mapped = permission ?? ["maintain": "write", "triage": "read"][role] ?? role
        state.withLock { store in
            store.addUser(user)
            Self.require(
                store.withRepository(repository) {
                    $0.collaborators[user.lowercased()] = FakeGitHubStore.Collaborator(
                        permission: mapped, roleName: role)
                }, repository)
        }
    }

    /// Adds a conversation comment by `author` on issue or pull request `number`; returns its id.
    @discardableResult
    public func addIssueComment(on number: Int, in repository: String, author: String, body: String) -> Int64 {
        addComment(.issueComment, on: number, in: repository, author: author, body: body)
    }

    /// Adds a review by `author` on pull request `number` (`state` `COMMENTED`, `APPROVED`,
    /// `CHANGES_REQUESTED` or `PENDING`); returns its id.
    @discardableResult
    public func addReview(
        on number: Int, in repository: String, author: String, body: String = "",
        state reviewState: String = "COMMENTED"
    ) -> Int64 {
        addComment(.review(state: reviewState), on: number, in: repository, author: author, body: body)
    }

    /// Adds a comment on line `line` of `path` in pull request `number`'s diff, part of `review`
    /// when given; returns its id.
    @discardableResult
    public func addReviewComment(
        on number: Int, in repository: String, review: Int64? = nil, author: String, body: String, path: String,
        line: Int? = 1
    ) -> Int64 {
        addComment(
            .reviewComment(review: review, path: path, line: line), on: number, in: repository, author: author,
            body: body)
    }

    /// Gives every user a budget of `limit` requests per `window` (GitHub's is 5,000 an hour),
    /// starting afresh.
    public func setRateLimit(_ limit: Int, window: Duration = .seconds(3600)) {
        let (seconds, attoseconds) = window.components
        state.withLock {
            $0.rateLimit = limit
            $0.rateLimitWindow = TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
            $0.budgets = [:]
        }
    }

    /// Answers the next `count` requests whose path (without the prefix) starts with `path` (any
    /// path when `nil`) with `fault`, after the User-Agent, credential and version checks.
    public func inject(_ fault: FakeGitHubFault, count: Int = 1, path: String? = nil) {
        precondition(count > 0, "FakeGitHubServer: inject at least one fault")
        state.withLock { $0.faults.append(.init(fault: fault, remaining: count, pathPrefix: path)) }
    }

    /// Drops every injected fault not yet answered: GitHub is back.
    public func clearFaults() {
        state.withLock { $0.faults = [] }
    }

    // MARK: Inspecting

    /// Every request received, oldest first.
    public var requests: [FakeGitHubRequest] {
        state.withLock { $0.log }
    }

    /// Forgets the requests received so far.
    public func clearRequests() {
        state.withLock { $0.log = [] }
    }

    /// The pull requests of `repository`, by number.
    public func pullRequests(in repository: String) -> [FakeGitHubPullRequest] {
        state.withLock { $0.repository(repository)?.pulls.values.sorted { $0.number < $1.number } ?? [] }
    }

    /// The comments, reviews and review comments on `number`, oldest first.
    public func comments(on number: Int, in repository: String) -> [FakeGitHubComment] {
        state.withLock { $0.repository(repository)?.comments.filter { $0.number == number } ?? [] }
    }

    /// The assignees of issue or pull request `number`.
    public func assignees(of number: Int, in repository: String) -> [String] {
        state.withLock { store in
            guard let repository = store.repository(repository) else { return [] }
            return repository.pulls[number]?.assignees ?? repository.issues[number]?.assignees ?? []
        }
    }

    // MARK: Helpers

    private func addComment(
        _ kind: FakeGitHubComment.Kind, on number: Int, in repository: String, author: String, body: String
    ) -> Int64 {
        state.withLock { store in
            store.addUser(author)
            let id = store.nextID()
            return Self.require(
                store.withRepository(repository) { repository -> Int64 in
                    precondition(
                        repository.issues[number] != nil || repository.pulls[number] != nil,
                        "FakeGitHubServer: \(repository.fullName) has no #\(number)")
                    if case .issueComment = kind {
                    } else {
                        precondition(
                            repository.pulls[number] != nil, "FakeGitHubServer: #\(number) is not a pull request")
                    }
                    repository.comments.append(
                        FakeGitHubComment(
                            kind: kind, id: id, number: number, author: author, body: body, createdAt: Date()))
                    return id
                }, repository)
        }
    }

    private func mutate(_ repository: String, _ body: (inout FakeGitHubStore.Repository) -> Void) {
        state.withLock { store in
            Self.require(store.withRepository(repository, body), repository)
        }
    }

    /// `value`, which is `nil` only when `repository` is unknown: a mistake in the test.
    @discardableResult
    private static func require<T>(_ value: T?, _ repository: String) -> T {
        guard let value else {
            preconditionFailure("FakeGitHubServer: no repository \(repository); add it with addRepository first")
        }
        return value
    }
}
