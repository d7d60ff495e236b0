import Foundation

/// A session's working copy, created when a tool first needs it: a session that never touches
/// files costs no clone (DESIGN §4).
///
/// `root()` creates the session repository (see `SessionRepository`) on its first call; concurrent first calls share that one
/// creation. A failed creation is reported to every caller waiting on it, and the next call
/// tries again. `init(directory:)` wraps a folder that already exists (no git), for tests and
/// for runs outside a repository.
public actor LazyWorktree {
    private enum Source {
        case git(
            repository: URL, baseRef: String?, branch: String, path: URL, containment: Containment,
            checkpoint: String?)
        case directory(URL)
    }

    private enum State {
        case pending
        case creating(waiters: [CheckedContinuation<Result<URL, WorktreeError>, Never>])
        case ready(URL)
    }

    private let source: Source
    private var state = State.pending
    /// How the session's commands are contained; git on the session repository runs the same way.
    public let containment: Containment
    /// The session repository, once created; `nil` before, and for a plain folder.
    public private(set) var worktree: SessionRepository?
    /// Whether an earlier run of the session left work to continue (a checkpoint to rebuild from,
    /// or its folder): the session must create the worktree to deliver that work, even when this
    /// run touches no file.
    public nonisolated let continuesEarlierWork: Bool

    /// A session repository cloned from `repository` into `path`, on `branch` made from `baseRef`
    /// on first use, or reopened when an earlier run of the session left it (see
    /// `SessionRepository.reopenOrCreate`); with `checkpoint`, rebuilt from that checkpoint
    /// commit in `repository` instead (see `SessionRepository.restore`).
    public init(
        repository: URL, baseRef: String?, branch: String, at path: URL, containment: Containment,
        checkpoint: String? = nil
    ) {
        source = .git(
            repository: repository, baseRef: baseRef, branch: branch, path: path, containment: containment,
            checkpoint: checkpoint)
        self.containment = containment
        continuesEarlierWork =
            checkpoint != nil || FileManager.default.fileExists(atPath: path.appendingPathComponent(".git").path)
    }

    /// An existing folder used as it is (tests, and runs outside a repository).
    public init(directory: URL, containment: Containment = .none) {
        source = .directory(directory)
        self.containment = containment
        continuesEarlierWork = false
    }

    /// The sandbox a command in the working copy runs in, or `nil` when commands run unconfined;
    /// creates the working copy if this is the first use.
    public func sandbox() async throws(WorktreeError) -> Sandbox? {
        let root = try await root()
        if let worktree {
            // The repository's sandbox (its borrowed objects readable), with the network `execute` may have.
            guard var sandbox = worktree.sandbox else { return nil }
            if case .sandbox(_, let network, _) = containment { sandbox.network = network }
            return sandbox
        }
        let real = root.resolvingSymlinksInPath().path
        return containment.sandbox(writable: real, readOnly: [])
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
        case .git(let repository, let baseRef, let branch, let path, let containment, let checkpoint):
            do {
                let created =
                    if let checkpoint {
                        try await SessionRepository.restore(
                            source: repository, baseRef: baseRef, branch: branch, checkpoint: checkpoint, at: path,
                            containment: containment)
                    } else {
                        try await SessionRepository.reopenOrCreate(
                            source: repository, baseRef: baseRef, branch: branch, at: path, containment: containment)
                    }
                worktree = created
                return .success(created.root)
            } catch {
                return .failure(error)
            }
        }
    }
}
