import Foundation

/// Everything the fake GitHub server knows: tokens, users, repositories with their issues, pull
/// requests, comments and collaborators, the rate-limit budgets, the queued faults and the request
/// log. Held under one lock by `FakeGitHubServer`; its methods never block.
struct FakeGitHubStore: Sendable {
    struct Issue: Sendable, Hashable {
        var number: Int
        var title: String
        var body: String?
        var labels: [String]
        var assignees: [String]
        var state: String
        var author: String
        var createdAt: Date
    }

    struct Collaborator: Sendable, Hashable {
        /// GitHub's `permission`: admin, write, read or none.
        var permission: String
        /// GitHub's `role_name`: admin, maintain, write, triage, read, or a custom role's name.
        var roleName: String
    }

    struct Repository: Sendable {
        var fullName: String
        var defaultBranch: String
        var cloneURL: String
        var branches: Set<String>
        var acceptsAnyHead: Bool
        /// Issues and pull requests share one sequence of numbers.
        var lastNumber = 0
        var issues: [Int: Issue] = [:]
        var pulls: [Int: FakeGitHubPullRequest] = [:]
        /// By lowercased login.
        var collaborators: [String: Collaborator] = [:]
        var comments: [FakeGitHubComment] = []
    }

    struct Budget: Sendable {
        var used = 0
        var windowStart: Date
    }

    struct QueuedFault: Sendable {
        var fault: FakeGitHubFault
        var remaining: Int
        var pathPrefix: String?
    }

    /// Token → login.
    var tokens: [String: String] = [:]
    /// Lowercased login → login.
    var users: [String: String] = [:]
    /// By lowercased `OWNER/NAME`.
    var repositories: [String: Repository] = [:]
    var lastID: Int64 = 1000
    var faults: [QueuedFault] = []
    var log: [FakeGitHubRequest] = []
    var rateLimit = 5000
    var rateLimitWindow: TimeInterval = 3600
    /// By login.
    var budgets: [String: Budget] = [:]

    mutating func nextID() -> Int64 {
        lastID += 1
        return lastID
    }

    mutating func addUser(_ login: String) {
        users[login.lowercased()] = login
    }

    /// The repository named `name`, or a failure naming it.
    func repository(_ name: String) -> Repository? {
        repositories[name.lowercased()]
    }

    mutating func withRepository<T>(_ name: String, _ body: (inout Repository) -> T) -> T? {
        guard var repository = repositories[name.lowercased()] else { return nil }
        defer { repositories[name.lowercased()] = repository }
        return body(&repository)
    }

    /// Takes the next queued fault that applies to `path`, if any.
    mutating func takeFault(for path: String) -> FakeGitHubFault? {
        guard let index = faults.firstIndex(where: { $0.pathPrefix.map(path.hasPrefix) ?? true }) else { return nil }
        let fault = faults[index].fault
        faults[index].remaining -= 1
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        return fault
    }
}
