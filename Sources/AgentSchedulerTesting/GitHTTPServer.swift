import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A git server on 127.0.0.1 for tests: the real `git http-backend` (smart HTTP, fetch and push)
/// over a folder of bare repositories, behind the authentication GitHub asks of git clients.
///
/// Every request must carry `Authorization: Basic base64(ANY-USER:TOKEN)` (what GitHub accepts
/// from git with a token) or `Bearer TOKEN`; anything else is answered `401` with
/// `WWW-Authenticate: Basic realm="GitHub"`, as GitHub does. The request log says whether each
/// request was authorised, never what it carried.
public final class GitHTTPServer: Sendable {
    /// One request as the server saw it.
    public struct Request: Sendable, Hashable {
        public var method: String
        /// The path and query, e.g. `/acme/api.git/info/refs?service=git-upload-pack`.
        public var target: String
        public var authorised: Bool
        public var status: Int
    }

    /// The folder of bare repositories (`OWNER/NAME.git`).
    public let root: URL
    private let server: LoopbackHTTPServer
    private let log = RequestLog()

    /// The requests seen, shared with the handler.
    final class RequestLog: Sendable {
        let entries = Mutex<[Request]>([])
    }

    /// A server over the bare repositories under `root` that accepts `token`.
    public init(root: URL, token: String) {
        self.root = root
        let log = self.log
        server = LoopbackHTTPServer(timeout: 120) { _ in
            GitHTTPBackend(root: root, token: token) { request in log.entries.withLock { $0.append(request) } }
        }
    }

    /// Runs `body` with a listening server over `root`, then stops it.
    public static func withServer<T>(
        root: URL, token: String, _ body: (GitHTTPServer) async throws -> T
    ) async throws -> T {
        let server = GitHTTPServer(root: root, token: token)
        return try await server.server.serving { try await body(server) }
    }

    /// The clone URL of `OWNER/NAME`: `http://127.0.0.1:PORT/OWNER/NAME.git`.
    public func cloneURL(for repository: String) -> String {
        guard let port = server.port.current else {
            preconditionFailure("GitHTTPServer: ask for URLs inside withServer")
        }
        return "http://127.0.0.1:\(port)/\(repository).git"
    }

    /// Every request so far, in order.
    public var requests: [Request] { log.entries.withLock { $0 } }

    /// Makes the bare repository `OWNER/NAME.git` under `root`, with one commit on `main` holding `files`.
    @discardableResult
    public static func makeRepository(
        _ repository: String, under root: URL, files: [String: String] = ["README.md": "# repository\n"]
    ) async throws -> URL {
        let bare = root.appendingPathComponent("\(repository).git")
        let seed = FileManager.default.temporaryDirectory.appendingPathComponent("git-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: seed) }
        try FileManager.default.createDirectory(at: seed, withIntermediateDirectories: true)
        for (path, text) in files {
            let file = seed.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        try await TestProcess.git(["init", "-q", "-b", "main"], in: seed)
        try await TestProcess.git(["add", "."], in: seed)
        try await TestProcess.git(
            ["-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-qm", "initial"], in: seed)
        try FileManager.default.createDirectory(at: bare.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await TestProcess.git(["clone", "-q", "--bare", seed.path, bare.path], in: root)
        try await TestProcess.git(["config", "http.receivepack", "true"], in: bare)
        return bare
    }

    /// Installs a `pre-receive` hook in `bare` that refuses every push to `branch`, as a protected
    /// branch does, with GitHub's words.
    public static func protect(branch: String, in bare: URL) throws {
        let hook = bare.appendingPathComponent("hooks/pre-receive")
        try """
        #!/bin/sh
        while read old new ref; do
          if [ "$ref" = "refs/heads/\(branch)" ]; then
            echo "error: GH006: Protected branch update failed for refs/heads/\(branch)." >&2
            exit 1
          fi
        done
        exit 0

        """.write(to: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
    }
}
