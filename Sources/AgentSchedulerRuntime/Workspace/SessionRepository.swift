import Foundation

/// A session's own git repository: a clone of the source repository that borrows its objects
/// (`git clone --shared`), on a branch of its own. The agent works in it; nothing it does to git
/// settings, hooks or attributes there reaches the source repository (DESIGN §4, §13).
///
/// Create it with `create` or `reopenOrCreate`; commit what the agent did with `commitAll`, export
/// it with `writePatch`, bring the branch back to the source with `deliver`, and `remove()` it when
/// the session ends. Every git command on it runs in `sandbox` when there is one (the agent can
/// write its `.git`); commands on the source repository run unconfined, since agents cannot reach
/// it. git never reads system or user configuration and runs no hooks (see `Git`).
public struct SessionRepository: Sendable, Hashable {
    /// The repository the session's work comes from and goes back to.
    public let source: URL
    /// The session repository's folder (its working tree; `.git` inside).
    public let root: URL
    /// The branch checked out in it.
    public let branch: String
    /// The commit the branch started from.
    public let baseCommit: String
    /// Where git runs on this repository; `nil` for unconfined.
    public let sandbox: Sandbox?

    public init(source: URL, root: URL, branch: String, baseCommit: String, sandbox: Sandbox?) {
        self.source = source
        self.root = root
        self.branch = branch
        self.baseCommit = baseCommit
        self.sandbox = sandbox
    }

    /// Clones `source` into `path` (which must not exist) and checks out a new branch `branch` at
    /// `baseRef` (the source's `HEAD` when `nil`).
    ///
    /// Fails when the base does not name a commit or the path is taken.
    public static func create(
        source: URL, baseRef: String?, branch: String, at path: URL, containment: Containment
    ) async throws(WorktreeError) -> SessionRepository {
        let base = try await commit(baseRef ?? "HEAD", in: source)
        let repository = try await clone(source, into: path, containment: containment)
        try await repository.git.run(["checkout", "--quiet", "-b", branch, base])
        return SessionRepository(
            source: source, root: path, branch: branch, baseCommit: base, sandbox: repository.sandbox)
    }

    /// The repository of a session that ran before (an interrupted or blocked session resuming):
    /// the folder at `path` when it is still there, else a new clone on `branch` when the source
    /// has it (an earlier run delivered it), else a new branch as `create` makes it.
    ///
    /// The base commit of a reopened branch is where it forked from `baseRef`.
    public static func reopenOrCreate(
        source: URL, baseRef: String?, branch: String, at path: URL, containment: Containment
    ) async throws(WorktreeError) -> SessionRepository {
        let base = try await commit(baseRef ?? "HEAD", in: source)
        if FileManager.default.fileExists(atPath: path.appendingPathComponent(".git").path) {
            let sandbox = try await sandbox(for: path, source: source, containment: containment)
            let opened = SessionRepository(
                source: source, root: path, branch: branch, baseCommit: base, sandbox: sandbox)
            let fork = try? await opened.git.run(["merge-base", base, "HEAD"]).text
            return SessionRepository(
                source: source, root: path, branch: branch, baseCommit: fork ?? base, sandbox: sandbox)
        }
        let sourceGit = Git(directory: source.path)
        let delivered = try await sourceGit.run(
            ["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"], allowedStatuses: [0, 1])
        guard delivered.status == 0 else {
            return try await create(
                source: source, baseRef: baseRef, branch: branch, at: path, containment: containment)
        }
        let fork = try await sourceGit.run(["merge-base", base, delivered.text]).text
        let repository = try await clone(source, into: path, containment: containment)
        try await repository.git.run(["checkout", "--quiet", "-b", branch, delivered.text])
        return SessionRepository(
            source: source, root: path, branch: branch, baseCommit: fork, sandbox: repository.sandbox)
    }

    /// Whether the source repository has `branch` (as a local branch).
    public static func sourceHasBranch(_ branch: String, source: URL) async throws(WorktreeError) -> Bool {
        try await Git(directory: source.path).run(
            ["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"], allowedStatuses: [0, 1]
        ).status == 0
    }

    /// Deletes the session repository, changes and all; what `deliver` brought back stays in the
    /// source.
    public func remove() async throws(WorktreeError) {
        do {
            if FileManager.default.fileExists(atPath: root.path) { try FileManager.default.removeItem(at: root) }
        } catch {
            throw .fileSystem(path: root.path, reason: error.localizedDescription)
        }
    }

    /// git on this repository, in its sandbox.
    var git: Git { Git(directory: sandbox?.writable ?? root.path, sandbox: sandbox) }

    /// The commit `reference` names in `repository`.
    static func commit(_ reference: String, in repository: URL) async throws(WorktreeError) -> String {
        try await Git(directory: repository.path).run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}"]
        ).text
    }

    /// `git clone --shared --no-checkout SOURCE PATH`, run on the source (nothing of the new
    /// repository exists yet for an agent to have planted).
    static func clone(
        _ source: URL, into path: URL, containment: Containment
    ) async throws(WorktreeError) -> SessionRepository {
        try await Git(directory: "/").run([
            "clone", "--quiet", "--shared", "--no-checkout", "--", source.path, path.path,
        ])
        let sandbox = try await sandbox(for: path, source: source, containment: containment)
        return SessionRepository(source: source, root: path, branch: "", baseCommit: "", sandbox: sandbox)
    }

    /// The sandbox of a session repository at `path`: it writes `path` and reads the object
    /// folders it borrows (the source's, and those the source itself borrows).
    private static func sandbox(
        for path: URL, source: URL, containment: Containment
    ) async throws(WorktreeError) -> Sandbox? {
        guard case .sandbox = containment else { return nil }
        let common = try await Git(directory: source.path).run([
            "rev-parse", "--path-format=absolute", "--git-common-dir",
        ])
        .text
        var objects = [common + "/objects"]
        if let borrowed = try? String(contentsOfFile: common + "/objects/info/alternates", encoding: .utf8) {
            objects += borrowed.split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
        }
        let real = URL(fileURLWithPath: path.path).resolvingSymlinksInPath().path
        return containment.sandbox(writable: real, readOnly: objects, forGit: true)
    }
}
