import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// agentsched's copy of a forge repository, against the real `git http-backend` behind a token, and
/// a `file://` remote.
@Suite("Forge clones: clone once, fetch, push, the token only in git's environment")
struct ForgeCloneTests {
    static let token = "ghs_test0123456789abcdefTOKEN"

    /// A folder for the remote's bare repositories and one for the state, removed afterwards.
    static func withFolders(_ body: (_ remotes: URL, _ state: URL) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("forge-clone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let remotes = base.appendingPathComponent("remotes")
        let state = base.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: remotes, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try await body(remotes, state)
    }

    /// Every file under `folder` whose bytes contain `secret`.
    static func files(under folder: URL, containing secret: String) -> [String] {
        let needles = [secret, Data("x-access-token:\(secret)".utf8).base64EncodedString()].map { Data($0.utf8) }
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [String] = []
        while let file = walker?.nextObject() as? URL {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let data = try? Data(contentsOf: file)
            else { continue }
            if needles.contains(where: { data.range(of: $0) != nil }) { found.append(file.path) }
        }
        return found
    }

    /// Makes a session repository from the clone, changes a file, commits and delivers it.
    static func sessionCommit(
        from clone: ForgeClone, baseRef: String, branch: String, file: String, in state: URL
    ) async throws -> String {
        let path = state.appendingPathComponent("worktrees/\(UUID().uuidString)")
        let session = try await SessionRepository.create(
            source: clone.path, baseRef: baseRef, branch: branch, at: path, containment: .none)
        try Data("change \(file)\n".utf8).write(to: path.appendingPathComponent(file))
        _ = try await session.commitAll(
            authorName: "Agent", authorEmail: "agent@example.com", message: "Change \(file)")
        let delivered = try #require(try await session.deliver(through: state.appendingPathComponent("x.bundle")))
        try await session.remove()
        return delivered
    }

    @Test("over authenticated HTTP: clone, fetch what moved, push a branch and then a fast-forward; no token anywhere")
    func httpRoundTrip() async throws {
        try await Self.withFolders { remotes, state in
            let bare = try await GitHTTPServer.makeRepository("acme/api", under: remotes)
            try await GitHTTPServer.withServer(root: remotes, token: Self.token) { server in
                let clone = try ForgeClone(
                    path: state.appendingPathComponent("repos/acme/api"), cloneURL: server.cloneURL(for: "acme/api"),
                    token: Self.token)
                try await clone.prepare()
                let main = try await TestProcess.git(["rev-parse", "main"], in: bare)
                #expect(
                    try await TestProcess.git(["rev-parse", ForgeClone.baseRef(for: "main")], in: clone.path) == main)

                // Someone pushes to main; the next prepare fetches it.
                let other = try await GitHTTPServer.makeRepository(
                    "acme/other", under: remotes, files: ["README.md": "# another history\n"])
                try await TestProcess.git(["push", "-q", "--force", bare.path, "main:main"], in: other)
                let moved = try await TestProcess.git(["rev-parse", "main"], in: bare)
                #expect(moved != main)
                try await clone.prepare()
                #expect(
                    try await TestProcess.git(["rev-parse", ForgeClone.baseRef(for: "main")], in: clone.path) == moved)

                let branch = "agentsched/12-fixer-1"
                let first = try await Self.sessionCommit(
                    from: clone, baseRef: ForgeClone.baseRef(for: "main"), branch: branch, file: "a.txt", in: state)
                try await clone.push(branch: branch)
                #expect(try await TestProcess.git(["rev-parse", branch], in: bare) == first + "\n")

                // A follow-up: a fresh session from the branch head, its commit pushed as a fast-forward.
                let second = try await Self.sessionCommit(
                    from: clone, baseRef: "refs/heads/\(branch)", branch: branch, file: "b.txt", in: state)
                try await clone.push(branch: branch)
                #expect(try await TestProcess.git(["rev-parse", branch], in: bare) == second + "\n")
                #expect(try await TestProcess.git(["rev-parse", "\(branch)~1"], in: bare) == first + "\n")

                #expect(server.requests.allSatisfy { $0.authorised })
                #expect(server.requests.contains { $0.target.contains("git-receive-pack") })
                #expect(
                    try await TestProcess.git(["config", "--get", "remote.origin.url"], in: clone.path)
                        == server.cloneURL(for: "acme/api") + "\n")
                #expect(Self.files(under: state, containing: Self.token) == [])
                #expect(Self.files(under: remotes, containing: Self.token) == [])
            }
        }
    }

    @Test("a wrong or missing token is a clear error at once, never a prompt, and names no token")
    func unauthorised() async throws {
        try await Self.withFolders { remotes, state in
            try await GitHTTPServer.makeRepository("acme/api", under: remotes)
            try await GitHTTPServer.withServer(root: remotes, token: Self.token) { server in
                for token: String? in [nil, "ghs_wrong_token_value"] {
                    let clone = try ForgeClone(
                        path: state.appendingPathComponent("repos/\(token ?? "none")"),
                        cloneURL: server.cloneURL(for: "acme/api"), token: token)
                    do {
                        try await clone.prepare()
                        Issue.record("prepare succeeded without the right token")
                    } catch let error as ForgeCloneError {
                        guard case .authenticationFailed = error else {
                            Issue.record("not an authentication failure: \(error)")
                            continue
                        }
                        #expect("\(error)".hasPrefix("the forge refused git's credentials"))
                        if let token { #expect(!"\(error)".contains(token)) }
                    }
                }
                #expect(server.requests.allSatisfy { !$0.authorised })
            }
        }
    }

    @Test("a push to a protected branch is refused with git's reason, and the branch stays in the clone")
    func refusedPush() async throws {
        try await Self.withFolders { remotes, state in
            let bare = try await GitHTTPServer.makeRepository("acme/api", under: remotes)
            let branch = "agentsched/3-fixer-9"
            try GitHTTPServer.protect(branch: branch, in: bare)
            try await GitHTTPServer.withServer(root: remotes, token: Self.token) { server in
                let clone = try ForgeClone(
                    path: state.appendingPathComponent("repos/acme/api"), cloneURL: server.cloneURL(for: "acme/api"),
                    token: Self.token)
                try await clone.prepare()
                let commit = try await Self.sessionCommit(
                    from: clone, baseRef: ForgeClone.baseRef(for: "main"), branch: branch, file: "c.txt", in: state)
                await #expect {
                    try await clone.push(branch: branch)
                } throws: { error in
                    guard case .pushRefused(let refused, let reason) = error as? ForgeCloneError else { return false }
                    return refused == branch && reason.contains("GH006: Protected branch update failed")
                        && !reason.contains(Self.token)
                }
                #expect(
                    try await TestProcess.git(["rev-parse", "refs/heads/\(branch)"], in: clone.path) == commit + "\n")
            }
        }
    }

    @Test("two prepares at once make one clone, and both succeed; file:// remotes need no token")
    func concurrentPrepare() async throws {
        try await Self.withFolders { remotes, state in
            let bare = try await GitHTTPServer.makeRepository("acme/api", under: remotes)
            let clone = try ForgeClone(
                path: state.appendingPathComponent("repos/acme/api"), cloneURL: "file://\(bare.path)", token: nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 { group.addTask { try await clone.prepare() } }
                try await group.waitForAll()
            }
            let expected = try await TestProcess.git(["rev-parse", "main"], in: bare)
            #expect(
                try await TestProcess.git(["rev-parse", ForgeClone.baseRef(for: "main")], in: clone.path) == expected)
        }
    }

    @Test(
        "a clone URL with credentials in it is refused",
        arguments: [
            "https://x-access-token:ghp_abc@github.com/acme/api.git", "https://user@github.com/acme/api.git",
        ])
    func credentialsInURL(url: String) {
        #expect(throws: ForgeCloneError.credentialsInURL) {
            _ = try ForgeClone(path: URL(fileURLWithPath: "/tmp/x"), cloneURL: url, token: nil)
        }
    }
}
