import Foundation

/// Keeps a session's conversation as JSON in one file, replaced atomically after every turn, so a
/// crash leaves the last complete turn and never half a file.
public struct FileConversationStore: ConversationStore {
    public var file: URL

    public init(file: URL) {
        self.file = file
    }

    public func save(_ messages: [ChatMessage]) async throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(messages).write(to: file, options: .atomic)
    }

    public func load() async throws -> [ChatMessage]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try JSONDecoder().decode([ChatMessage].self, from: Data(contentsOf: file))
    }
}
