import Foundation

extension SessionRepository {
    /// Stages every change (new, changed and deleted files, `.gitignore` respected) and commits it
    /// as `authorName <authorEmail>`, with `trailers` (`Key: value` lines such as
    /// `Agentsched-Session: 42`) after the message.
    ///
    /// Returns the new commit's id, or `nil` when there was nothing to commit. The message is kept
    /// as written (lines starting with `#` stay); trailer keys may not hold `:` or line breaks.
    public func commitAll(
        authorName: String, authorEmail: String, message: String, trailers: [(String, String)] = []
    ) async throws(WorktreeError) -> String? {
        for (key, value) in trailers {
            guard !key.isEmpty, !key.contains(":"), !key.contains(where: \.isWhitespace) else {
                throw .invalidArgument("trailer key '\(key)' must be one word without ':'")
            }
            guard !value.contains(where: \.isNewline) else {
                throw .invalidArgument("trailer '\(key)' has a line break in its value")
            }
        }
        for (what, text) in [("author name", authorName), ("author email", authorEmail)]
        where text.isEmpty || text.contains(where: \.isNewline) || text.contains("<") || text.contains(">") {
            throw .invalidArgument("the \(what) '\(text)' must be one line without '<' or '>'")
        }

        try await git.run(["add", "--all"])
        let staged = try await git.run(["diff", "--cached", "--quiet"], allowedStatuses: [0, 1])
        guard staged.status == 1 else { return nil }

        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trailers.isEmpty {
            text += "\n\n" + trailers.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        }
        try await git.run([
            "-c", "user.name=\(authorName)", "-c", "user.email=\(authorEmail)",
            "commit", "--quiet", "--no-verify", "--cleanup=whitespace", "--message", text,
        ])
        return try await git.run(["rev-parse", "HEAD"]).text
    }

    /// Writes the branch's commits since `baseRef` (the commit the branch started from when `nil`)
    /// as one `git format-patch` mailbox file, which `git am` applies.
    ///
    /// Only commits count: call `commitAll` first. No commits give an empty file. Folders missing
    /// on the way to `file` are created.
    public func writePatch(to file: URL, since baseRef: String? = nil) async throws(WorktreeError) {
        let base = baseRef ?? baseCommit
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: file.path, reason: error.localizedDescription)
        }
        // Written beside the target and renamed, so that a failure leaves no half-written patch.
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        do {
            try await git.run(["format-patch", "--stdout", "--binary", "\(base)..HEAD"], outputFile: partial.path)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        guard rename(partial.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partial)
            throw .fileSystem(path: file.path, reason: reason)
        }
    }

    /// Brings the branch back to the source repository, as `refs/heads/BRANCH` there, when it has
    /// commits since its base; returns the delivered commit, or `nil` when there was nothing to
    /// deliver (no branch is made for a session that changed nothing).
    ///
    /// The commits travel as a bundle written by git in the sandbox and fetched by git on the
    /// source, so nothing of the session repository's configuration, hooks or filters runs
    /// outside the sandbox; the source checks the objects it receives (`fetch.fsckObjects`).
    /// `bundle` is a scratch file, removed afterwards.
    public func deliver(through bundle: URL) async throws(WorktreeError) -> String? {
        let head = try await git.run(["rev-parse", "--verify", "HEAD^{commit}"]).text
        guard head != baseCommit else { return nil }
        do {
            try FileManager.default.createDirectory(
                at: bundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: bundle.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: bundle) }
        try await git.run(["bundle", "create", "--quiet", "-", "\(baseCommit)..HEAD"], outputFile: bundle.path)
        try await Git(directory: source.path).run([
            "-c", "fetch.fsckObjects=true", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
            "--end-of-options", bundle.path, "+HEAD:refs/heads/\(branch)",
        ])
        return head
    }
}
