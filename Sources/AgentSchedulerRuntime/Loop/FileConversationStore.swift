import AgentSchedulerCore
import Foundation

/// Keeps a session's conversation as JSON in one file, replaced atomically after every turn, so a
/// crash leaves the last complete turn and never half a file.
///
/// The scheduler keeps conversations in the ledger (so another host can resume them) and reads
/// this file only for a session interrupted by a version that wrote it
/// (`STATE/sessions/ID/conversation.json`); it remains a store for loops run on their own.
///
/// The file is written beside its place and renamed over it, without `fsync`: a killed process
/// loses nothing (the kernel keeps the pages), and hundreds of sessions do not queue on the disk.
/// A power failure may take back the last turns; the session then resumes from an earlier one.
/// Every secret `redactor` knows is replaced in the saved text (message contents, tool-call
/// arguments), so the file holds none even when a model repeats one.
public struct FileConversationStore: ConversationStore {
    public var file: URL
    public var redactor: Redactor

    public init(file: URL, redactor: Redactor = Redactor()) {
        self.file = file
        self.redactor = redactor
    }

    public func save(_ messages: [ChatMessage]) async throws {
        let messages = redactor.isEmpty ? messages : messages.map(redacted)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        let data = try JSONEncoder().encode(messages)
        // POSIX calls, not `Data.write`, which syncs the file to disk on every call.
        let descriptor = open(partial.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure(partial) }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == data.count, rename(partial.path, file.path) == 0 else { throw Self.failure(file) }
    }

    private func redacted(_ message: ChatMessage) -> ChatMessage {
        var message = message
        message.content = redactor.redact(message.content)
        message.toolCalls = message.toolCalls.map { call in
            var call = call
            call.arguments = redactor.redact(call.arguments)
            return call
        }
        return message
    }

    private static func failure(_ file: URL) -> CocoaError {
        CocoaError(
            .fileWriteUnknown,
            userInfo: [NSFilePathErrorKey: file.path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
    }

    public func load() async throws -> [ChatMessage]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try JSONDecoder().decode([ChatMessage].self, from: Data(contentsOf: file))
    }
}
