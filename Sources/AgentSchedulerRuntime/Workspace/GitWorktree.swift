import Foundation

/// A git worktree on a branch of its own: where one session's agent changes files.
///
/// Create it with `create(repository:baseRef:branch:at:)`; commit what the agent did with
/// `commitAll`, export it with `writePatch`, and `remove()` the checkout when the session ends
/// (the branch stays). git runs with an environment of its own (see `Git`): no user or system
/// configuration and no hooks.
public struct GitWorktree: Sendable, Hashable {
    /// The repository the worktree belongs to.
    public let repository: URL
    /// The worktree's folder.
    public let root: URL
    /// The branch checked out in it.
    public let branch: String
    /// The commit the branch started from.
    public let baseCommit: String

    public init(repository: URL, root: URL, branch: String, baseCommit: String) {
        self.repository = repository
        self.root = root
        self.branch = branch
        self.baseCommit = baseCommit
    }

    /// Adds a worktree at `path` on a new branch `branch` starting at `baseRef` (the repository's
    /// `HEAD` when `nil`): `git worktree add -b BRANCH PATH BASE`.
    ///
    /// Fails when the branch already exists, the path is taken, or the base does not name a commit.
    public static func create(
        repository: URL, baseRef: String?, branch: String, at path: URL
    ) async throws(WorktreeError) -> GitWorktree {
        let git = Git(directory: repository.path)
        let base = baseRef ?? "HEAD"
        let commit = try await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", base + "^{commit}"])
            .text
        try await git.run(["worktree", "add", "--quiet", "-b", branch, path.path, commit])
        return GitWorktree(repository: repository, root: path, branch: branch, baseCommit: commit)
    }

    /// The worktree of a session that ran before (an interrupted or blocked session resuming):
    /// the folder at `path` when it is still there, else `branch` checked out again at `path`,
    /// else a new branch as `create` makes it.
    ///
    /// The base commit of a reopened branch is where it forked from `baseRef`.
    public static func reopenOrCreate(
        repository: URL, baseRef: String?, branch: String, at path: URL
    ) async throws(WorktreeError) -> GitWorktree {
        let git = Git(directory: repository.path)
        let exists = try await git.run(
            ["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"], allowedStatuses: [0, 1])
        guard exists.status == 0 else {
            return try await create(repository: repository, baseRef: baseRef, branch: branch, at: path)
        }
        if !FileManager.default.fileExists(atPath: path.appendingPathComponent(".git").path) {
            try await git.run(["worktree", "prune"])
            try await git.run(["worktree", "add", "--quiet", path.path, branch])
        }
        let base = try await git.run(["merge-base", baseRef ?? "HEAD", "refs/heads/\(branch)"]).text
        return GitWorktree(repository: repository, root: path, branch: branch, baseCommit: base)
    }

    /// Removes the checkout (`git worktree remove --force`), changes and all; the branch and its
    /// commits stay. A folder already deleted is pruned from git's list instead.
    public func remove() async throws(WorktreeError) {
        let git = Git(directory: repository.path)
        if FileManager.default.fileExists(atPath: root.path) {
            try await git.run(["worktree", "remove", "--force", root.path])
        } else {
            try await git.run(["worktree", "prune"])
        }
    }

    var git: Git { Git(directory: root.path) }
}
