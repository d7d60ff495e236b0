import Foundation

extension DemoWorkspace {
    static func requireFolder(_ url: URL, named name: String, in examples: URL) throws(DemoError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .missingExamples(folder: examples.path, missing: name + "/")
        }
    }

    static func requireFile(_ url: URL, named name: String, in examples: URL) throws(DemoError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw .missingExamples(folder: examples.path, missing: name)
        }
    }

    /// Creates `folder` with its parents, or accepts it when it exists and is empty.
    static func prepareEmptyFolder(_ folder: URL) throws(DemoError) {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .fileSystem(path: folder.path, reason: "it is a file, not a folder") }
            let entries = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            guard entries.isEmpty else { throw .folderNotEmpty(folder.path) }
            return
        }
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// Copies a file or a whole folder to `destination`, which must not exist yet.
    static func copy(_ source: URL, to destination: URL) throws(DemoError) {
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: destination)
        } catch {
            throw .fileSystem(path: destination.path, reason: error.localizedDescription)
        }
    }

    static func write(_ text: String, to file: URL) throws(DemoError) {
        do {
            try Data(text.utf8).write(to: file, options: .atomic)
        } catch {
            throw .fileSystem(path: file.path, reason: error.localizedDescription)
        }
    }

    /// Copies the template to `repository` and commits it on `main`, with the demo's fixed author
    /// and date and every file mode normalised, so that the commit id is reproducible. Returns it.
    static func makeRepository(from template: URL, at repository: URL) async throws(DemoError) -> String {
        try copy(template, to: repository)
        try normalisePermissions(in: repository)
        let git = DemoGit(directory: repository)
        try await git.run(["init", "--quiet", "--initial-branch=main"])
        try await git.run(["add", "--all"])
        try await git.run(["commit", "--quiet", "--no-verify", "--message", "textkit: text and number helpers for sh"])
        return try await git.run(["rev-parse", "HEAD"])
    }

    /// Files 0644 and folders 0755, whatever the checkout or umask left: git records the
    /// executable bit, and the demo's commit must not depend on it.
    private static func normalisePermissions(in folder: URL) throws(DemoError) {
        let manager = FileManager.default
        var paths = [folder.path]
        if let enumerator = manager.enumerator(atPath: folder.path) {
            while let relative = enumerator.nextObject() as? String {
                paths.append(folder.appendingPathComponent(relative).path)
            }
        }
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            do {
                try manager.setAttributes([.posixPermissions: isFolder.boolValue ? 0o755 : 0o644], ofItemAtPath: path)
            } catch {
                throw .fileSystem(path: path, reason: error.localizedDescription)
            }
        }
    }
}
