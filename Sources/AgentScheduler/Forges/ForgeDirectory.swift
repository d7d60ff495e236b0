import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerRuntime
import Foundation
import Logging

/// The forges of one workspace's repositories, made once by a command's composition root and shared
/// by everything in that process: `assign`, admission in `run`, tool-call checks and `sync`.
///
/// A `github: true` repository is served by one `GitHubForge` for the whole process, at
/// `github.api-url` with the token from `github.token-env` (`GITHUB_TOKEN` by default). The token is
/// read once, here, and kept inside the forge's configuration, which never prints it. A missing
/// token does not stop the process: every lookup of a GitHub repository then throws
/// `ForgeError.missingToken`, which permission checks treat as a denial (they fail closed).
///
/// A repository with a local `path` is served by a `LocalForge` when the directory was given
/// records to keep its pull requests in (the ledger, for `run`).
///
/// Call ``shutdown()`` before the process ends: the GitHub forge owns an HTTP client.
public final class ForgeDirectory: Sendable {
    /// Users' roles from the forge, remembered for at most 60 s.
    public let permissions: ForgePermissions
    private let configuration: WorkspaceConfiguration
    private let github: Result<GitHubForge, ForgeError>?
    private let local: LocalForge?
    /// The forge token, for git's pushes and fetches; `nil` when unset.
    private let token: String?

    /// Forges for the repositories of `workspace`, with the token read from `environment`, and local
    /// pull requests in `localRecords`.
    ///
    /// `clock` paces retries and rate-limit waits; `wallClock` reads rate-limit resets and ages the
    /// remembered permissions.
    public init(
        workspace: Workspace, environment: [String: String], logger: Logger,
        localRecords: (any LocalForgeRecords)? = nil, clock: any Clock<Duration> = ContinuousClock(),
        wallClock: any WallClock = SystemWallClock()
    ) {
        let configuration = workspace.configuration
        self.configuration = configuration
        local = localRecords.map { Self.localForge(workspace, records: $0) }
        let variable = configuration.githubTokenVariable ?? Redactor.defaultGitHubTokenVariable
        token = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        if configuration.repositories.values.contains(where: \.github) {
            github = Result {
                let text = configuration.githubAPIURL ?? WorkspaceConfiguration.defaultGitHubAPIURL
                guard let url = URL(string: text) else {
                    throw ForgeError.malformed("github.api-url \(text) is not a URL")
                }
                let settings = try GitHubForge.Configuration(
                    apiURL: url, tokenVariable: variable, token: environment[variable] ?? "")
                return GitHubForge(configuration: settings, logger: logger, clock: clock, wallClock: wallClock)
            }
            .mapError { $0 as? ForgeError ?? .malformed("\($0)") }
        } else {
            github = nil
        }
        let github = github
        permissions = ForgePermissions(clock: wallClock) { repository in
            try Self.lookup(repository, configuration: configuration, github: github)
        }
    }

    /// The forge of `repository` (`OWNER/NAME`).
    ///
    /// Throws `ForgeError.missingToken` for a GitHub repository when the token variable is unset, and
    /// `ForgeError.notFound` for a repository that is not on a forge (a local one: its issues come
    /// from issues files and its roles from the policy).
    public func forge(for repository: String) throws -> any Forge {
        if let local, configuration.source(of: repository)?.path != nil {
            return local
        }
        return try Self.lookup(repository, configuration: configuration, github: github)
    }

    /// Whether `repository` is on GitHub (`github: true`) rather than read from a local path.
    public func isOnGitHub(_ repository: String) -> Bool { configuration.isGitHub(repository) }

    /// The local forge of `workspace`'s repositories with a `path`: roles from the policies, the
    /// configured `base-ref` (else the checked-out branch, `HEAD`) as default branch.
    static func localForge(_ workspace: Workspace, records: any LocalForgeRecords) -> LocalForge {
        var repositories: [String: ForgeRepository] = [:]
        for (name, source) in workspace.configuration.repositories {
            guard let local = workspace.localRepository(name) else { continue }
            repositories[name] = ForgeRepository(
                name: name, defaultBranch: source.baseRef ?? "HEAD", cloneURL: local.path)
        }
        return LocalForge(
            repositories: repositories,
            roles: { user, repository in workspace.policy(forRepository: repository)?.role(of: user, in: repository) },
            records: records)
    }

    /// agentsched's clone of `repository` under `state` (`STATE/repos/OWNER/NAME`), made on first use
    /// and fetched now, and the branch its sessions start from and open pull requests to: the
    /// configured `base-ref`, else the forge's default branch.
    ///
    /// The clone URL is the configured `clone-url`, else the forge's. Throws `ForgeError` when the
    /// forge cannot describe the repository and `ForgeCloneError` when git cannot fetch it.
    public func prepare(_ repository: String, under state: StateDirectory) async throws -> PreparedRepository {
        let source = configuration.source(of: repository)
        let described = try await forge(for: repository).repository(repository)
        let path = URL(fileURLWithPath: state.path).appendingPathComponent("repos")
            .appendingPathComponent(repository.lowercased())
        let clone = try ForgeClone(path: path, cloneURL: source?.cloneURL ?? described.cloneURL, token: token)
        try await clone.prepare()
        return PreparedRepository(clone: clone, base: source?.baseRef ?? described.defaultBranch)
    }

    /// Runs `body`, then closes the GitHub forge's connections, whether `body` returns or throws.
    public func closing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Closes the GitHub forge's connections. Errors closing them are not the caller's concern.
    public func shutdown() async {
        if case .success(let forge) = github {
            try? await forge.shutdown()
        }
    }

    private static func lookup(
        _ repository: String, configuration: WorkspaceConfiguration, github: Result<GitHubForge, ForgeError>?
    ) throws -> any Forge {
        guard configuration.isGitHub(repository), let github else {
            throw ForgeError.notFound(
                "\(repository) is not on GitHub in agentsched.yaml; add `\(repository): { github: true }`")
        }
        return try github.get()
    }
}
