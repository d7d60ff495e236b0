import AgentSchedulerCore
import AgentSchedulerForges
import Foundation

/// Users' roles in `github: true` repositories as GitHub grants them, asked once and remembered for
/// at most `lifetime` (60 s), so a revoked permission is seen within a minute (DESIGN §8).
///
/// One per process, shared by `assign`, admission, tool calls and follow-ups. Only answers are
/// remembered: a failure is asked again next time, and until then it denies (fail closed).
/// Repositories that are not on GitHub are never asked: their roles come from the policy.
public actor ForgePermissions {
    /// The forge of a repository (`OWNER/NAME`); throws when it cannot be made (no token, say).
    public typealias ForgeLookup = @Sendable (String) throws -> any Forge

    private struct Key: Hashable {
        var user: String
        var repository: String
    }

    private let forge: ForgeLookup
    private let lifetime: TimeInterval
    private let clock: any WallClock
    private var answers: [Key: (role: RepositoryRole?, at: Date)] = [:]

    public init(
        lifetime: Duration = .seconds(60), clock: any WallClock = SystemWallClock(), forge: @escaping ForgeLookup
    ) {
        self.forge = forge
        self.lifetime = TimeInterval(lifetime.components.seconds)
        self.clock = clock
    }

    /// What `AccessCheck` needs to know from the forge about `user` in `repository`.
    public func grant(
        for user: String, in repository: String, configuration: WorkspaceConfiguration
    ) async
        -> ForgeGrant
    {
        guard configuration.isGitHub(repository) else { return .notConsulted }
        let key = Key(user: user.lowercased(), repository: repository.lowercased())
        let now = clock.now()
        if let answer = answers[key], now.timeIntervalSince(answer.at) < lifetime, answer.at <= now {
            return .role(answer.role)
        }
        do {
            let role = try await forge(repository).permission(of: user, in: repository)
            answers[key] = (role, clock.now())
            return .role(role)
        } catch let error as ForgeError {
            answers[key] = nil
            return .unavailable(error.description)
        } catch {
            answers[key] = nil
            return .unavailable("\(error)")
        }
    }
}
