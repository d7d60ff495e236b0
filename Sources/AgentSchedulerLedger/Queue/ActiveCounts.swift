import AgentSchedulerCore

/// How many sessions workers hold (claimed, running or throttled), by organisation, repository and
/// user: what the concurrency limits of DESIGN §2.2 count.
public struct ActiveCounts: Sendable, Hashable {
    public private(set) var organisations: [String: Int] = [:]
    /// By `OWNER/NAME` (a repository belongs to one organisation).
    public private(set) var repositories: [String: Int] = [:]
    /// By `ORG/USER`.
    public private(set) var users: [String: Int] = [:]

    public init() {}

    /// Counts one more session held.
    public mutating func add(org: String, repository: String, user: String, count: Int = 1) {
        organisations[org, default: 0] += count
        repositories[repository, default: 0] += count
        users[ScopeKey.member(user, of: org), default: 0] += count
    }

    /// The first limit one more session of `user` in `repository` would break, or `nil` when it fits.
    public func limitReached(
        org: String, repository: String, user: String, limits: ConcurrencyPolicy?
    ) -> ConcurrencyLimitReached? {
        guard let limits else { return nil }
        if let limit = limits.sessions, organisations[org, default: 0] >= limit {
            return ConcurrencyLimitReached(kind: .sessions, scope: org, running: organisations[org] ?? 0, limit: limit)
        }
        if let limit = limits.perUser, users[ScopeKey.member(user, of: org), default: 0] >= limit {
            return ConcurrencyLimitReached(
                kind: .perUser, scope: user, running: users[ScopeKey.member(user, of: org)] ?? 0, limit: limit)
        }
        if let limit = limits.perRepository, repositories[repository, default: 0] >= limit {
            return ConcurrencyLimitReached(
                kind: .perRepository, scope: repository, running: repositories[repository] ?? 0, limit: limit)
        }
        return nil
    }
}

/// A concurrency limit that keeps a session waiting.
public struct ConcurrencyLimitReached: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case sessions
        case perRepository = "per-repo"
        case perUser = "per-user"
    }

    public var kind: Kind
    /// The organisation, repository or user.
    public var scope: String
    public var running: Int
    public var limit: Int

    public var description: String {
        switch kind {
        case .sessions: "organisation \(scope) runs \(running) of its \(limit) sessions (concurrency.sessions)"
        case .perRepository: "\(scope) runs \(running) of its \(limit) sessions (concurrency.per-repo)"
        case .perUser: "\(scope) runs \(running) of their \(limit) sessions (concurrency.per-user)"
        }
    }
}
