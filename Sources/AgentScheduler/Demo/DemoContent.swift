import Foundation

/// The files `agentsched demo` is built from — the example team (`agents/`), the example policies
/// (`policies/`) and `examples/demo/` — each with its path under the examples folder.
///
/// `embedded` is compiled into the binary (`DemoContent+Embedded.swift`, written by
/// `scripts/embed-demo-content.sh`), so that the demo runs from any folder, with no checkout and
/// no resource bundle beside the executable. `read(from:)` takes the same files from a folder, for
/// `--workspace DIR` and for the test that keeps the two identical.
public struct DemoContent: Sendable, Equatable {
    /// One file: its relative path (`examples/demo/issues.yaml`) and its exact bytes.
    public struct File: Sendable, Equatable {
        public var path: String
        public var bytes: Data

        public init(path: String, bytes: Data) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// The folders, relative to the examples folder, whose files make up the demo.
    public static let folders = ["agents", "policies", DemoWorkspace.contentFolder]

    /// The files, sorted by path.
    public var files: [File]

    public init(files: [File]) {
        self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The content compiled into this binary.
    ///
    /// Decoding cannot fail for a file the script wrote; if the generated file was edited by hand
    /// and an entry no longer decodes, that entry is left out and `DemoWorkspace.create` reports
    /// the missing file by name.
    public static let embedded = DemoContent(
        files: embeddedFiles.compactMap { entry in
            Data(base64Encoded: entry.base64, options: .ignoreUnknownCharacters).map {
                File(path: entry.path, bytes: $0)
            }
        })

    /// Every regular file under `folders` (the demo's, unless given) of `examples`; symbolic links
    /// and other special files are refused, since the embedded copy could not carry them.
    public static func read(from examples: URL, folders: [String] = folders) throws(DemoError) -> DemoContent {
        let manager = FileManager.default
        var files: [File] = []
        for folder in folders {
            let base = examples.appendingPathComponent(folder)
            try DemoWorkspace.requireFolder(base, named: folder, in: examples)
            guard let enumerator = manager.enumerator(atPath: base.path) else {
                throw .fileSystem(path: base.path, reason: "the folder cannot be listed")
            }
            while let relative = enumerator.nextObject() as? String {
                let path = folder + "/" + relative
                let url = examples.appendingPathComponent(path)
                let type = (try? manager.attributesOfItem(atPath: url.path)[.type]) as? FileAttributeType
                switch type {
                case .typeDirectory?: continue
                case .typeRegular?:
                    do {
                        files.append(File(path: path, bytes: try Data(contentsOf: url)))
                    } catch {
                        throw .fileSystem(path: url.path, reason: error.localizedDescription)
                    }
                default:
                    throw .fileSystem(path: url.path, reason: "the demo's content holds only regular files and folders")
                }
            }
        }
        return DemoContent(files: files)
    }

    /// Writes every file under `folder`, which must not exist yet: on any failure, whatever was
    /// written is removed again, so no half-written copy is left.
    public func write(to folder: URL) throws(DemoError) {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: folder.path) else { throw .folderNotEmpty(folder.path) }
        do {
            for file in files {
                guard Self.isSafe(file.path) else {
                    throw DemoError.fileSystem(path: file.path, reason: "not a relative path inside the demo")
                }
                let url = folder.appendingPathComponent(file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.bytes.write(to: url)
            }
        } catch {
            try? manager.removeItem(at: folder)
            if let error = error as? DemoError { throw error }
            throw .fileSystem(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// A relative path of plain components: no `..`, `.`, empty part or leading `/`.
    static func isSafe(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
