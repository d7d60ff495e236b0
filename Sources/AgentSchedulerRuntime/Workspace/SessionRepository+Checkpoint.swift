import Foundation

extension SessionRepository {
    /// `refs/agentsched/checkpoints/SESSION`: where the source repository keeps a session's last
    /// checkpoint (DESIGN §4).
    public static func checkpointRef(session: String) -> String { checkpointRefs + session }

    /// The folder of every session's checkpoint ref.
    static let checkpointRefs = "refs/agentsched/checkpoints/"

    /// The sessions (their ids, as the ref names them) `source` keeps a checkpoint ref of.
    public static func checkpointSessions(in source: URL) async throws(WorktreeError) -> [String] {
        try await Git(directory: source.path).run(["for-each-ref", "--format=%(refname)", checkpointRefs]).text
            .split(separator: "\n").map { String($0.dropFirst(checkpointRefs.count)) }
    }

    /// Records the whole working tree as a commit, without touching the branch, the index or a
    /// file, and brings it to the source repository as `checkpointRef(session:)`; returns its id.
    ///
    /// The commit's tree is every file as it is now (new, changed and deleted ones; `.gitignore`
    /// respected), its first parent the branch's `HEAD`, its second the `previous` checkpoint, so
    /// every checkpoint of the session stays reachable from the ref. It travels as `deliver`'s
    /// commits do: a bundle written in the sandbox, fetched by git on the source with its objects
    /// checked. `bundle` is a scratch file, removed afterwards.
    public func checkpoint(
        session: String, turn: Int, previous: String?, through bundle: URL
    ) async throws(WorktreeError) -> String {
        let index = git.directory + "/.git/agentsched-checkpoint.index"
        defer { unlink(index) }
        var staging = git
        staging.extraEnvironment["GIT_INDEX_FILE"] = index
        try await staging.run(["read-tree", "HEAD"])
        try await staging.run(["add", "--all"])
        let tree = try await staging.run(["write-tree"]).text
        var arguments = [
            "-c", "user.name=agentsched", "-c", "user.email=checkpoints@agentsched.invalid",
            "commit-tree", tree, "-p", "HEAD",
        ]
        if let previous { arguments += ["-p", previous] }
        arguments += ["-m", "agentsched checkpoint: session \(session), turn \(turn)"]
        let commit = try await git.run(arguments).text
        let local = "refs/agentsched/checkpoint"
        try await git.run(["update-ref", local, commit])
        do {
            try FileManager.default.createDirectory(
                at: bundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: bundle.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: bundle) }
        var excluded = ["^\(baseCommit)"]
        if let previous { excluded.append("^\(previous)") }
        try await git.run(["bundle", "create", "--quiet", "-", local] + excluded, outputFile: bundle.path)
        try await Git(directory: source.path).run([
            "-c", "fetch.fsckObjects=true", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
            "--end-of-options", bundle.path, "+\(local):\(Self.checkpointRef(session: session))",
        ])
        return commit
    }

    /// Rebuilds a session's repository at `path` from its checkpoint `checkpoint` (in the source):
    /// `branch` at the checkpoint's first parent, the working tree as the checkpoint holds it, the
    /// changes since unstaged. A folder left at `path` by an earlier run is replaced: the
    /// checkpoint, not whatever a later, unfinished turn left there, matches the conversation.
    ///
    /// The base commit is where the branch forked from `baseRef`.
    public static func restore(
        source: URL, baseRef: String?, branch: String, checkpoint: String, at path: URL, containment: Containment
    ) async throws(WorktreeError) -> SessionRepository {
        let base = try await commit(baseRef ?? "HEAD", in: source)
        let head = try await commit(checkpoint + "^1", in: source)
        do {
            if FileManager.default.fileExists(atPath: path.path) { try FileManager.default.removeItem(at: path) }
        } catch {
            throw .fileSystem(path: path.path, reason: error.localizedDescription)
        }
        let repository = try await clone(source, into: path, containment: containment)
        try await repository.git.run(["checkout", "--quiet", "-b", branch, head])
        try await repository.git.run(["read-tree", "-u", "--reset", checkpoint])
        try await repository.git.run(["reset", "--quiet"])
        let fork = try await repository.git.run(["merge-base", base, head]).text
        return SessionRepository(
            source: source, root: path, branch: branch, baseCommit: fork, sandbox: repository.sandbox)
    }

    /// Whether `source` has the commit `id`.
    public static func hasCommit(_ id: String, in source: URL) async throws(WorktreeError) -> Bool {
        try await Git(directory: source.path).run(
            ["cat-file", "-e", "--end-of-options", id + "^{commit}"], allowedStatuses: [0, 1, 128]
        ).status == 0
    }

    /// Deletes a session's checkpoint ref from `source`; nothing happens when there is none.
    public static func deleteCheckpoint(session: String, in source: URL) async throws(WorktreeError) {
        try await Git(directory: source.path).run(["update-ref", "-d", checkpointRef(session: session)])
    }
}
