import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// Checkpoints of a session's worktree: a commit of every file at a turn's end, kept in the source
/// on `refs/agentsched/checkpoints/ID`, from which another host rebuilds the worktree (DESIGN §4).
struct SessionCheckpointTests {
    static let branch = "agentsched/7-fixer-7"

    /// `path`'s file `name`, or `nil` when there is none.
    static func file(_ name: String, in path: URL) -> String? {
        try? String(contentsOf: path.appendingPathComponent(name), encoding: .utf8)
    }

    @Test(
        "a checkpoint holds every file, touches neither branch nor index, chains to the previous one, and rebuilds the worktree elsewhere",
        arguments: TestContainment.Kind.allCases)
    func checkpointAndRestore(_ kind: TestContainment.Kind) async throws {
        let repo = try await TemporaryRepository()
        let containment = try await kind.containment()
        let head = try await repo.git("rev-parse", "HEAD")
        let path = repo.worktrees.appendingPathComponent("7")
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: Self.branch, at: path, containment: containment)
        try Data("changed\n".utf8).write(to: path.appendingPathComponent("README.md"))
        try Data("new\n".utf8).write(to: path.appendingPathComponent("new.txt"))
        try Data("*.log\n".utf8).write(to: path.appendingPathComponent(".gitignore"))
        try Data("noise\n".utf8).write(to: path.appendingPathComponent("build.log"))
        try FileManager.default.removeItem(at: path.appendingPathComponent("old.txt"))
        try await repo.git("add", "new.txt", in: path)
        let statusBefore = try await repo.git("status", "--porcelain", in: path)

        let bundle = repo.worktrees.appendingPathComponent("7.bundle")
        let first = try await worktree.checkpoint(session: "7", turn: 1, previous: nil, through: bundle)
        #expect(first.count == 40 && first.allSatisfy(\.isHexDigit))
        #expect(!FileManager.default.fileExists(atPath: bundle.path))
        #expect(try await repo.git("status", "--porcelain", in: path) == statusBefore, "index and files untouched")
        #expect(try await repo.git("rev-parse", "HEAD", in: path) == head, "the branch did not move")
        let ref = SessionRepository.checkpointRef(session: "7")
        #expect(try await repo.git("rev-parse", ref) == first, "the source holds the checkpoint")
        #expect(try await repo.git("rev-parse", "\(first)^1") == head)
        #expect(try await repo.git("show", "\(first):README.md") == "changed")
        #expect(try await repo.git("show", "\(first):new.txt") == "new")
        let files = try await repo.git("ls-tree", "--name-only", first)
        #expect(files.split(separator: "\n").sorted() == [".gitignore", "README.md", "new.txt"], "\(files)")

        try Data("turn two\n".utf8).write(to: path.appendingPathComponent("second.txt"))
        let second = try await worktree.checkpoint(session: "7", turn: 2, previous: first, through: bundle)
        #expect(try await repo.git("rev-parse", ref) == second)
        #expect(try await repo.git("rev-parse", "\(second)^2") == first, "every checkpoint stays reachable")
        #expect(try await repo.git("log", "-1", "--format=%s", second) == "agentsched checkpoint: session 7, turn 2")

        // Another host rebuilds the worktree from the first checkpoint, over a stale folder of its own.
        let elsewhere = repo.worktrees.appendingPathComponent("elsewhere/7")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("stale\n".utf8).write(to: elsewhere.appendingPathComponent("stale.txt"))
        let restored = try await SessionRepository.restore(
            source: repo.repository, baseRef: nil, branch: Self.branch, checkpoint: first, at: elsewhere,
            containment: containment)
        #expect(restored.baseCommit == head)
        #expect(try await repo.git("rev-parse", "--abbrev-ref", "HEAD", in: elsewhere) == Self.branch)
        #expect(try await repo.git("rev-parse", "HEAD", in: elsewhere) == head)
        #expect(Self.file("README.md", in: elsewhere) == "changed\n")
        #expect(Self.file("new.txt", in: elsewhere) == "new\n")
        #expect(Self.file("old.txt", in: elsewhere) == nil)
        #expect(Self.file("stale.txt", in: elsewhere) == nil)
        #expect(Self.file("second.txt", in: elsewhere) == nil, "the second turn is not in the first checkpoint")
        let status = try await repo.git("status", "--porcelain", in: elsewhere)
        #expect(
            status.split(separator: "\n").sorted() == [" D old.txt", " M README.md", "?? .gitignore", "?? new.txt"],
            "the changes since the branch's head are unstaged: \(status)")

        #expect(try await SessionRepository.hasCommit(second, in: repo.repository))
        try await SessionRepository.deleteCheckpoint(session: "7", in: repo.repository)
        #expect(try await repo.git("for-each-ref", "refs/agentsched/").isEmpty)
        try await SessionRepository.deleteCheckpoint(session: "7", in: repo.repository)
        #expect(try await !SessionRepository.hasCommit(String(repeating: "0", count: 40), in: repo.repository))
    }

    @Test("a lazy worktree with a checkpoint rebuilds from it on first use, and says it continues earlier work")
    func lazyWorktreeRestores() async throws {
        let repo = try await TemporaryRepository()
        let path = repo.worktrees.appendingPathComponent("7")
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: Self.branch, at: path, containment: .none)
        try Data("kept\n".utf8).write(to: path.appendingPathComponent("kept.txt"))
        let checkpoint = try await worktree.checkpoint(
            session: "7", turn: 1, previous: nil, through: repo.worktrees.appendingPathComponent("b"))
        try Data("after the turn\n".utf8).write(to: path.appendingPathComponent("unfinished.txt"))

        let fresh = LazyWorktree(
            repository: repo.repository, baseRef: nil, branch: "agentsched/8-fixer-8",
            at: repo.worktrees.appendingPathComponent("8"), containment: .none)
        #expect(!fresh.continuesEarlierWork)
        let resumed = LazyWorktree(
            repository: repo.repository, baseRef: nil, branch: Self.branch, at: path, containment: .none,
            checkpoint: checkpoint)
        #expect(resumed.continuesEarlierWork)
        let root = try await resumed.root()
        #expect(Self.file("kept.txt", in: root) == "kept\n")
        #expect(Self.file("unfinished.txt", in: root) == nil, "what came after the checkpointed turn is gone")
    }

    @Test("a forge clone pushes a checkpoint, another host's clone fetches it, and deleting it removes it from both")
    func forgeRoundTrip() async throws {
        try await ForgeCloneTests.withFolders { remotes, state in
            let bare = try await GitHTTPServer.makeRepository("acme/api", under: remotes)
            try await GitHTTPServer.withServer(root: remotes, token: ForgeCloneTests.token) { server in
                func clone(_ host: String) throws -> ForgeClone {
                    try ForgeClone(
                        path: state.appendingPathComponent("\(host)/repos/acme/api"),
                        cloneURL: server.cloneURL(for: "acme/api"), token: ForgeCloneTests.token)
                }
                let here = try clone("host-a")
                try await here.prepare()
                let worktree = try await SessionRepository.create(
                    source: here.path, baseRef: ForgeClone.baseRef(for: "main"), branch: Self.branch,
                    at: state.appendingPathComponent("host-a/worktrees/7"), containment: .none)
                try Data("from host a\n".utf8).write(to: worktree.root.appendingPathComponent("a.txt"))
                let checkpoint = try await worktree.checkpoint(
                    session: "7", turn: 1, previous: nil, through: state.appendingPathComponent("host-a/7.bundle"))
                try await here.pushCheckpoint(session: "7")
                let ref = SessionRepository.checkpointRef(session: "7")
                #expect(try await TestProcess.git(["rev-parse", ref], in: bare) == checkpoint + "\n")

                let there = try clone("host-b")
                try await there.prepare()
                #expect(try await there.fetchCheckpoint(session: "7"))
                #expect(try await SessionRepository.hasCommit(checkpoint, in: there.path))
                let restored = try await SessionRepository.restore(
                    source: there.path, baseRef: ForgeClone.baseRef(for: "main"), branch: Self.branch,
                    checkpoint: checkpoint, at: state.appendingPathComponent("host-b/worktrees/7"), containment: .none)
                #expect(Self.file("a.txt", in: restored.root) == "from host a\n")

                try await there.deleteCheckpoint(session: "7")
                #expect(try await TestProcess.git(["for-each-ref", "refs/agentsched/"], in: bare).isEmpty)
                #expect(try await !there.fetchCheckpoint(session: "7"))
                try await here.deleteCheckpoint(session: "7")
                #expect(try await TestProcess.git(["for-each-ref", "refs/agentsched/"], in: here.path).isEmpty)
                await #expect(throws: ForgeCloneError.self) { try await here.pushCheckpoint(session: "7:main") }
                #expect(ForgeCloneTests.files(under: state, containing: ForgeCloneTests.token) == [])
            }
        }
    }
}
