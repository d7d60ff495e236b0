import AgentSchedulerCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// agentsched's own copy of a forge's repository (`STATE/repos/OWNER/NAME`): a bare repository
/// whose `origin` is the forge, fetched before each session's working copy is made from it, and
/// the place session branches are delivered to and pushed from (DESIGN §8).
///
/// - Fetches land in `refs/remotes/origin/*`; session branches (`refs/heads/agentsched/*`) are
///   only ever written by delivery, so a fetch never clobbers one.
/// - The token reaches git only through the environment of the one git process that talks to the
///   forge (`http.extraHeader` by `GIT_CONFIG_COUNT`): never in the remote URL, the repository's
///   configuration, a log line or an error, which are scrubbed of it.
/// - Network git runs outside the agents' sandbox, with the scrubbed environment of `Git`, on a
///   repository no agent can write (sessions work in clones of it).
/// - Several processes may prepare the same repository at once: a lock file serialises them.
public struct ForgeClone: Sendable {
    /// The bare repository.
    public var path: URL
    /// Where `origin` is: an https URL, a `file://` URL or a path; never with credentials in it.
    public var cloneURL: String
    /// The token sent to the forge, or `nil` for a remote that needs none (a `file://` one).
    private var token: String?

    /// Throws `ForgeCloneError.credentialsInURL` for a URL with a password or token in it.
    public init(path: URL, cloneURL: String, token: String?) throws(ForgeCloneError) {
        if let components = URLComponents(string: cloneURL),
            components.password != nil
                || (components.user != nil && components.scheme?.lowercased().hasPrefix("http") == true)
        {
            throw .credentialsInURL
        }
        self.path = path
        self.cloneURL = cloneURL
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The ref a session of this repository branches from: `base` (a branch name, the configured
    /// `base-ref` or the forge's default branch) as last fetched.
    public static func baseRef(for base: String) -> String { "refs/remotes/origin/\(base)" }

    /// Creates the bare repository on the first call, points `origin` at `cloneURL`, and fetches.
    public func prepare() async throws(ForgeCloneError) {
        try await locked { () async throws(ForgeCloneError) in
            let manager = FileManager.default
            if !manager.fileExists(atPath: path.appendingPathComponent("HEAD").path) {
                do {
                    try manager.createDirectory(at: path, withIntermediateDirectories: true)
                } catch {
                    throw ForgeCloneError.fileSystem(path: path.path, reason: error.localizedDescription)
                }
                try await git(["init", "--quiet", "--bare"])
                try await git(["remote", "add", "origin", cloneURL])
            } else {
                // The configured URL may have changed (clone-url edited): follow it.
                try await git(["remote", "set-url", "origin", cloneURL])
            }
            try await git(
                ["fetch", "--quiet", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/remotes/origin/*"],
                network: true)
        }
    }

    /// Pushes `refs/heads/BRANCH` to the same branch on `origin`, never forced: a follow-up's push
    /// is a fast-forward. A refusal throws `.pushRefused` with git's reason; the branch stays here.
    public func push(branch: String) async throws(ForgeCloneError) {
        guard !branch.hasPrefix("-"), !branch.contains(":") else {
            throw .git("refusing to push a branch named '\(branch)'")
        }
        do {
            try await git(
                ["push", "--porcelain", "origin", "refs/heads/\(branch):refs/heads/\(branch)"], network: true)
        } catch .git(let reason) {
            throw .pushRefused(branch: branch, reason: reason)
        }
    }

    /// Pushes a session's checkpoint ref (`SessionRepository.checkpointRef(session:)`) to the same
    /// ref on `origin`, forced: a session's checkpoints replace each other, and only the holder of
    /// the session writes them.
    public func pushCheckpoint(session: String) async throws(ForgeCloneError) {
        let ref = try Self.checkpointRef(session)
        try await git(["push", "--porcelain", "--force", "origin", "\(ref):\(ref)"], network: true)
    }

    /// Fetches a session's checkpoint ref from `origin` into this clone; returns whether `origin`
    /// has it.
    public func fetchCheckpoint(session: String) async throws(ForgeCloneError) -> Bool {
        let ref = try Self.checkpointRef(session)
        let listed = try await git(["ls-remote", "--refs", "origin", ref], network: true)
        guard !listed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return false }
        try await git(["fetch", "--quiet", "--no-tags", "origin", "+\(ref):\(ref)"], network: true)
        return true
    }

    /// The sessions (their ids, as the refs name them) `origin` keeps a checkpoint ref of.
    public func checkpointSessions() async throws(ForgeCloneError) -> [String] {
        let prefix = SessionRepository.checkpointRef(session: "")
        return try await git(["ls-remote", "--refs", "origin", prefix + "*"], network: true)
            .split(separator: "\n").compactMap { line in
                line.split(separator: "\t").last.map(String.init).flatMap { ref in
                    ref.hasPrefix(prefix) ? String(ref.dropFirst(prefix.count)) : nil
                }
            }
    }

    /// Deletes a session's checkpoint ref on `origin` and here; a ref already gone is no error.
    public func deleteCheckpoint(session: String) async throws(ForgeCloneError) {
        let ref = try Self.checkpointRef(session)
        let listed = try await git(["ls-remote", "--refs", "origin", ref], network: true)
        if !listed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try await git(["push", "--porcelain", "origin", ":\(ref)"], network: true)
        }
        try await git(["update-ref", "-d", ref])
    }

    /// The checkpoint ref of `session`, which must be a session id (digits).
    private static func checkpointRef(_ session: String) throws(ForgeCloneError) -> String {
        guard !session.isEmpty, session.allSatisfy(\.isASCII), session.allSatisfy(\.isNumber) else {
            throw .git("refusing a checkpoint for session '\(session)'")
        }
        return SessionRepository.checkpointRef(session: session)
    }

    /// Moves `refs/heads/BRANCH` forward to the forge's, as last fetched, when the forge's is ahead
    /// of it: someone pushed to the pull request's branch, and a follow-up should build on their
    /// commits. Returns whether it moved; a branch the forge lacks, or one that diverged (its
    /// push then fails with git's reason), is left alone.
    @discardableResult
    public func fastForward(branch: String) async throws(ForgeCloneError) -> Bool {
        let local = "refs/heads/\(branch)"
        let remote = "refs/remotes/origin/\(branch)"
        let theirs = try await git(["rev-parse", "--verify", "--quiet", remote], allowedStatuses: [0, 1])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let ours = try await git(["rev-parse", "--verify", "--quiet", local], allowedStatuses: [0, 1])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !theirs.isEmpty, !ours.isEmpty, theirs != ours else { return false }
        let ancestry = try await status(["merge-base", "--is-ancestor", ours, theirs])
        guard ancestry == 0 else { return false }
        try await git(["update-ref", local, theirs, ours])
        return true
    }

    /// The exit status of `git ARGUMENTS` where 0 and 1 are both answers.
    private func status(_ arguments: [String]) async throws(ForgeCloneError) -> Int32 {
        do {
            return try await Git(directory: path.path).run(arguments, allowedStatuses: [0, 1]).status
        } catch {
            throw .git(Self.reason(error))
        }
    }

    /// Runs git on the bare repository; with `network`, the token goes in git's environment only.
    @discardableResult
    private func git(
        _ arguments: [String], network: Bool = false, allowedStatuses: Set<Int32> = [0]
    ) async throws(ForgeCloneError) -> String {
        var environment: [String: String] = ["GIT_ASKPASS": "", "SSH_ASKPASS": ""]
        if network, let token {
            let basic = Data("x-access-token:\(token)".utf8).base64EncodedString()
            environment["GIT_CONFIG_COUNT"] = "2"
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader"
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic \(basic)"
            // No credential helper may store or offer anything.
            environment["GIT_CONFIG_KEY_1"] = "credential.helper"
            environment["GIT_CONFIG_VALUE_1"] = ""
        }
        let redactor = Redactor(
            secrets: token.map { [$0, Data("x-access-token:\($0)".utf8).base64EncodedString()] } ?? [])
        do {
            let output = try await Git(directory: path.path, extraEnvironment: environment).run(
                arguments, allowedStatuses: allowedStatuses)
            return redactor.redact(String(decoding: output.standardOutput, as: UTF8.self))
        } catch {
            let reason = redactor.redact(Self.reason(error))
            let authentication = [
                "could not read Username", "Authentication failed", "The requested URL returned error: 403",
            ]
            if authentication.contains(where: reason.contains) { throw .authenticationFailed(reason) }
            throw .git(reason)
        }
    }

    /// git's own words for a failure: the `remote:` and `!` lines of a refused push, else stderr.
    static func reason(_ error: WorktreeError) -> String {
        guard case .gitFailed(_, _, let standardError) = error else { return error.description }
        let lines = standardError.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let telling = lines.filter { $0.hasPrefix("remote:") || $0.hasPrefix("!") || $0.hasPrefix("error:") }
        let chosen = (telling.isEmpty ? lines : telling).filter { !$0.isEmpty && $0 != "remote:" }
        return chosen.isEmpty ? error.description : chosen.joined(separator: "; ")
    }

    /// Runs `body` holding an exclusive lock on `PATH.lock`, so two processes never clone or fetch
    /// the same repository at once.
    private func locked(_ body: () async throws(ForgeCloneError) -> Void) async throws(ForgeCloneError) {
        let lockPath = path.path + ".lock"
        do {
            try FileManager.default.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: lockPath, reason: error.localizedDescription)
        }
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .fileSystem(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        // The wait for another process's fetch happens off the cooperative pool's threads' backs:
        // try without blocking, and sleep between tries.
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw .fileSystem(path: lockPath, reason: String(cString: strerror(errno)))
            }
            do { try await Task.sleep(for: .milliseconds(50)) } catch { throw .cancelled }
        }
        defer { flock(descriptor, LOCK_UN) }
        try await body()
    }
}
