import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// A git repository in a temporary folder with one commit, and a place for session repositories beside it.
final class TemporaryRepository: Sendable {
    let sandbox: ToolSandbox
    var repository: URL { sandbox.root }
    var worktrees: URL { sandbox.outside }

    init() async throws {
        sandbox = try ToolSandbox()
        try sandbox.write("README.md", "# Demo\n")
        try sandbox.write("old.txt", "to be deleted\n")
        try await git("init", "--quiet", "--initial-branch=main")
        try await git("add", "--all")
        try await git(
            "-c", "user.name=Setup", "-c", "user.email=setup@example.com", "commit", "--quiet", "-m", "Initial")
    }

    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) async throws -> String {
        try await Git(directory: (directory ?? repository).path).run(arguments).text
    }
}

struct SessionRepositoryTests {
    @Test(
        "a session repository clones, commits, writes a patch, delivers its branch and is removed",
        arguments: TestContainment.Kind.allCases)
    func createsCommitsPatchesDeliversAndRemoves(_ kind: TestContainment.Kind) async throws {
        let repo = try await TemporaryRepository()
        let head = try await repo.git("rev-parse", "HEAD")
        let path = repo.worktrees.appendingPathComponent("12-fixer-abc")
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "agentsched/12-fixer-abc", at: path,
            containment: try await kind.containment())
        #expect(worktree.baseCommit == head)
        #expect(FileManager.default.fileExists(atPath: path.appendingPathComponent("README.md").path))
        #expect(try await repo.git("rev-parse", "--abbrev-ref", "HEAD", in: path) == "agentsched/12-fixer-abc")

        #expect(
            try await worktree.commitAll(authorName: "Fixer", authorEmail: "fixer@agents", message: "Nothing") == nil)

        try Data("changed\n".utf8).write(to: path.appendingPathComponent("README.md"))
        try Data("new\n".utf8).write(to: path.appendingPathComponent("new.txt"))
        try FileManager.default.removeItem(at: path.appendingPathComponent("old.txt"))
        let sha = try #require(
            try await worktree.commitAll(
                authorName: "Fixer Agent", authorEmail: "fixer@agents.example", message: "Fix #12\n\n# not a comment",
                trailers: [("Agentsched-Session", "s-42"), ("Co-authored-by", "Alice <alice@example.com>")]))
        #expect(sha.count == 40 && sha.allSatisfy(\.isHexDigit))
        #expect(try await repo.git("rev-parse", "HEAD", in: path) == sha)
        let log = try await repo.git("log", "-1", "--format=%an <%ae>%n%B", in: path)
        #expect(
            log
                == "Fixer Agent <fixer@agents.example>\nFix #12\n\n# not a comment\n\n"
                + "Agentsched-Session: s-42\nCo-authored-by: Alice <alice@example.com>")
        let trailers = try await repo.git(
            "log", "-1", "--format=%(trailers:key=Agentsched-Session,valueonly)", in: path)
        #expect(trailers == "s-42")
        #expect(try await repo.git("status", "--porcelain", in: path).isEmpty)
        // The repository's own checkout is untouched.
        #expect(try await repo.git("rev-parse", "HEAD") == head)

        let patch = repo.worktrees.appendingPathComponent("patches/12.patch")
        try await worktree.writePatch(to: patch)
        let text = try String(contentsOf: patch, encoding: .utf8)
        #expect(text.contains("Subject: [PATCH] Fix #12"))
        #expect(text.contains("+changed"))
        #expect(text.contains("deleted file mode"))
        #expect(text.contains("Agentsched-Session: s-42"))
        try await repo.git("apply", "--check", "--exclude=*.patch", patch.path)

        // Nothing reaches the source before delivery; then the branch, through a bundle.
        #expect(!(try await SessionRepository.sourceHasBranch("agentsched/12-fixer-abc", source: repo.repository)))
        let bundle = repo.worktrees.appendingPathComponent("12.bundle")
        #expect(try await worktree.deliver(through: bundle) == sha)
        #expect(!FileManager.default.fileExists(atPath: bundle.path))
        #expect(try await repo.git("rev-parse", "--verify", "agentsched/12-fixer-abc") == sha)

        try await worktree.remove()
        #expect(!FileManager.default.fileExists(atPath: path.path))
        #expect(try await repo.git("rev-parse", "--verify", "agentsched/12-fixer-abc") == sha)
        #expect(!(try await repo.git("worktree", "list")).contains("12-fixer-abc"))
    }

    @Test("a session that changed nothing delivers no branch")
    func deliversNothingWithoutCommits() async throws {
        let repo = try await TemporaryRepository()
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "agentsched/1-idle-1",
            at: repo.worktrees.appendingPathComponent("idle"), containment: try await TestContainment.sandboxed())
        #expect(try await worktree.deliver(through: repo.worktrees.appendingPathComponent("b")) == nil)
        #expect(!(try await SessionRepository.sourceHasBranch("agentsched/1-idle-1", source: repo.repository)))
    }

    @Test("a session repository has its own configuration and hooks: what an agent plants there stays there")
    func plantedConfigurationStaysInTheSessionRepository() async throws {
        let repo = try await TemporaryRepository()
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "planted",
            at: repo.worktrees.appendingPathComponent("p"), containment: try await TestContainment.sandboxed())
        let marker = repo.worktrees.appendingPathComponent("fsmonitor-ran")
        let script = worktree.root.appendingPathComponent("monitor.sh")
        try Data("#!/bin/sh\ntouch \(marker.path)\n".utf8).write(to: script)
        #expect(chmod(script.path, 0o755) == 0)
        try await repo.git("config", "core.fsmonitor", script.path, in: worktree.root)
        try Data("x\n".utf8).write(to: worktree.root.appendingPathComponent("x.txt"))
        // git on the session repository runs in the sandbox: the planted monitor cannot touch the
        // marker, which lies outside the repository.
        _ = try await worktree.commitAll(authorName: "A", authorEmail: "a@b", message: "m")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        let config = try String(
            contentsOf: repo.repository.appendingPathComponent(".git/config"), encoding: .utf8)
        #expect(!config.contains("fsmonitor"))
        _ = try await worktree.deliver(through: repo.worktrees.appendingPathComponent("p.bundle"))
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test func startsFromTheBaseRefGiven() async throws {
        let repo = try await TemporaryRepository()
        let first = try await repo.git("rev-parse", "HEAD")
        try repo.sandbox.write("second.txt", "2\n")
        try await repo.git("add", "--all")
        try await repo.git("-c", "user.name=S", "-c", "user.email=s@e", "commit", "--quiet", "-m", "Second")
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: first, branch: "from-first",
            at: repo.worktrees.appendingPathComponent("w"), containment: .none)
        #expect(worktree.baseCommit == first)
        #expect(!FileManager.default.fileExists(atPath: worktree.root.appendingPathComponent("second.txt").path))
    }

    @Test func repositoryHooksDoNotRun() async throws {
        let repo = try await TemporaryRepository()
        let hook = repo.repository.appendingPathComponent(".git/hooks/pre-commit")
        try Data("#!/bin/sh\necho hook ran >&2\nexit 1\n".utf8).write(to: hook)
        #expect(chmod(hook.path, 0o755) == 0)
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: "main", branch: "hooked",
            at: repo.worktrees.appendingPathComponent("h"), containment: .none)
        try Data("x\n".utf8).write(to: worktree.root.appendingPathComponent("x.txt"))
        let sha = try await worktree.commitAll(authorName: "A", authorEmail: "a@b", message: "With hook", trailers: [])
        #expect(sha != nil)
    }

    @Test func writesAnEmptyPatchWithoutCommits() async throws {
        let repo = try await TemporaryRepository()
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "idle", at: repo.worktrees.appendingPathComponent("i"),
            containment: .none)
        let patch = repo.worktrees.appendingPathComponent("idle.patch")
        try await worktree.writePatch(to: patch, since: "main")
        #expect(try Data(contentsOf: patch).isEmpty)
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var name: String
        var baseRef: String?
        var branch: String
        var repository: String?
        var expected: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Failure(name: "unknown base", baseRef: "no-such-ref", branch: "b", expected: "git rev-parse"),
        Failure(name: "bad branch name", baseRef: nil, branch: "bad..name", expected: "not a valid branch name"),
        Failure(name: "not a repository", baseRef: nil, branch: "b", repository: "/", expected: "not a git repository"),
    ])
    func reportsGitFailures(_ failure: Failure) async throws {
        let repo = try await TemporaryRepository()
        let repository = failure.repository.map { URL(fileURLWithPath: $0) } ?? repo.repository
        do {
            _ = try await SessionRepository.create(
                source: repository, baseRef: failure.baseRef, branch: failure.branch,
                at: repo.worktrees.appendingPathComponent("w"), containment: .none)
            Issue.record("created")
        } catch {
            guard case .gitFailed = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains(failure.expected), "\(error)")
        }
    }

    @Test(arguments: [
        ("Bad:Key", "v", "trailer key 'Bad:Key' must be one word"),
        ("Two words", "v", "trailer key 'Two words' must be one word"),
        ("Key", "line\nbreak", "trailer 'Key' has a line break"),
    ])
    func refusesBadTrailers(key: String, value: String, message: String) async throws {
        let repo = try await TemporaryRepository()
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "t", at: repo.worktrees.appendingPathComponent("t"),
            containment: .none)
        try Data("x\n".utf8).write(to: worktree.root.appendingPathComponent("x.txt"))
        do {
            _ = try await worktree.commitAll(
                authorName: "A", authorEmail: "a@b", message: "m", trailers: [(key, value)])
            Issue.record("committed")
        } catch {
            #expect(error == .invalidArgument(message) || error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test func removingAnAlreadyDeletedFolderSucceeds() async throws {
        let repo = try await TemporaryRepository()
        let worktree = try await SessionRepository.create(
            source: repo.repository, baseRef: nil, branch: "gone", at: repo.worktrees.appendingPathComponent("g"),
            containment: .none)
        try FileManager.default.removeItem(at: worktree.root)
        try await worktree.remove()
    }
}

struct WorktreeLazinessTests {
    @Test func createsOnFirstFileToolOnly() async throws {
        let repo = try await TemporaryRepository()
        let path = repo.worktrees.appendingPathComponent("lazy")
        let lazy = LazyWorktree(
            repository: repo.repository, baseRef: nil, branch: "lazy", at: path, containment: .none)
        let context = ToolContext(worktree: lazy)
        let toolbox = Toolbox(tools: .all, permission: .write)

        _ = await toolbox.call(
            ToolCall(id: "1", name: "todo", arguments: #"{"action": "add", "text": "x"}"#), in: context)
        _ = await toolbox.call(ToolCall(id: "2", name: "edit", arguments: #"{"path": 1}"#), in: context)
        #expect(await !lazy.isCreated)
        #expect(!FileManager.default.fileExists(atPath: path.path))

        let read = await toolbox.call(
            ToolCall(id: "3", name: "read", arguments: #"{"path": "README.md"}"#), in: context)
        #expect(read.output == "1\t# Demo\n")
        #expect(await lazy.isCreated)
        #expect(await lazy.worktree?.branch == "lazy")
    }

    @Test func concurrentFirstCallsShareOneCreation() async throws {
        let repo = try await TemporaryRepository()
        let path = repo.worktrees.appendingPathComponent("shared")
        let lazy = LazyWorktree(
            repository: repo.repository, baseRef: nil, branch: "shared", at: path, containment: .none)
        let roots = try await withThrowingTaskGroup(of: URL.self) { group in
            for _ in 0..<6 { group.addTask { try await lazy.root() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(roots) == [path])
        #expect(try await repo.git("rev-parse", "--abbrev-ref", "HEAD", in: path) == "shared")
    }

    @Test func aFailedCreationIsReportedAndRetried() async throws {
        let repo = try await TemporaryRepository()
        let lazy = LazyWorktree(
            repository: repo.repository, baseRef: "missing", branch: "retry",
            at: repo.worktrees.appendingPathComponent("r"), containment: .none)
        await #expect(throws: WorktreeError.self) { try await lazy.root() }
        #expect(await !lazy.isCreated)
        let context = ToolContext(worktree: lazy)
        let result = await Toolbox(tools: .all, permission: .write).call(
            ToolCall(id: "1", name: "read", arguments: #"{"path": "."}"#), in: context)
        #expect(result.isError)
        #expect(result.output.hasPrefix("the worktree could not be prepared: git rev-parse"))
    }
}
