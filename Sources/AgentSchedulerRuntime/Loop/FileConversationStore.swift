import Foundation

/// Keeps a session's conversation as JSON in one file, replaced atomically after every turn, so a
/// crash leaves the last complete turn and never half a file.
///
/// The file is written beside its place and renamed over it, without `fsync`: a killed process
/// loses nothing (the kernel keeps the pages), and hundreds of sessions do not queue on the disk.
/// A power failure may take back the last turns; the session then resumes from an earlier one.
public struct FileConversationStore: ConversationStore {
    public var file: URL

    public init(file: URL) {
        self.file = file
    }

    public func save(_ messages: [ChatMessage]) async throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        try JSONEncoder().encode(messages).write(to: partial)
        guard rename(partial.path, file.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }

    public func load() async throws -> [ChatMessage]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try JSONDecoder().decode([ChatMessage].self, from: Data(contentsOf: file))
    }
}
