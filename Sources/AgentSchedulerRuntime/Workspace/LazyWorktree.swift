import Foundation

/// A session's worktree, created when a tool first needs it: a session that never touches files
/// costs no checkout (DESIGN §4).
///
/// `root()` creates the git worktree on its first call; concurrent first calls share that one
/// creation. A failed creation is reported to every caller waiting on it, and the next call
/// tries again. `init(directory:)` wraps a folder that already exists (no git), for tests and
/// for runs outside a repository.
public actor LazyWorktree {
    private enum Source {
        case git(repository: URL, baseRef: String?, branch: String, path: URL)
        case directory(URL)
    }

    private enum State {
        case pending
        case creating(waiters: [CheckedContinuation<Result<URL, WorktreeError>, Never>])
        case ready(URL)
    }

    private let source: Source
    private var state = State.pending
    /// The git worktree, once created; `nil` before, and for a plain folder.
    public private(set) var worktree: GitWorktree?

    /// A worktree of `repository` at `path` on `branch`: made from `baseRef` on first use, or
    /// reopened when an earlier run of the session left the branch (see `GitWorktree.reopenOrCreate`).
    public init(repository: URL, baseRef: String?, branch: String, at path: URL) {
        source = .git(repository: repository, baseRef: baseRef, branch: branch, path: path)
    }

    /// An existing folder used as it is.
    public init(directory: URL) {
        source = .directory(directory)
    }

    /// Whether the worktree exists yet (always for a plain folder).
    public var isCreated: Bool {
        if case .directory = source { return true }
        return worktree != nil
    }

    /// The worktree's folder, creating the worktree on the first call.
    public func root() async throws(WorktreeError) -> URL {
        switch state {
        case .ready(let root):
            return root
        case .creating(var waiters):
            let result = await withCheckedContinuation { continuation in
                waiters.append(continuation)
                state = .creating(waiters: waiters)
            }
            return try result.get()
        case .pending:
            state = .creating(waiters: [])
            let result = await create()
            guard case .creating(let waiters) = state else { preconditionFailure("worktree created twice") }
            switch result {
            case .success(let root): state = .ready(root)
            case .failure: state = .pending
            }
            for waiter in waiters { waiter.resume(returning: result) }
            return try result.get()
        }
    }

    private func create() async -> Result<URL, WorktreeError> {
        switch source {
        case .directory(let directory):
            return .success(directory)
        case .git(let repository, let baseRef, let branch, let path):
            do {
                let created = try await GitWorktree.reopenOrCreate(
                    repository: repository, baseRef: baseRef, branch: branch, at: path)
                worktree = created
                return .success(created.root)
            } catch {
                return .failure(error)
            }
        }
    }
}
