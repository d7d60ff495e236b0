import Foundation
import Logging
import MCP

/// A server's `Transport` that knows which requests it has not answered yet, so that a server whose
/// input has ended can still answer them before it exits.
///
/// The SDK's `Server` handles each request in a task of its own and ends its receive loop as soon as
/// the input ends: a client that writes its requests and closes the server's standard input (a
/// script, a pipe) would otherwise lose the answers still being worked on. Requests the client
/// cancelled (`notifications/cancelled`) are not waited for; the SDK sends no answer to them.
actor DrainingTransport: Transport {
    nonisolated let logger: Logger
    private let base: any Transport
    private var unanswered: Set<Value> = []

    /// `base` carries the messages; `logger` is the SDK's.
    init(_ base: any Transport, logger: Logger) {
        self.base = base
        self.logger = logger
    }

    func connect() async throws {
        try await base.connect()
    }

    func disconnect() async {
        await base.disconnect()
    }

    func send(_ data: Data) async throws {
        try await base.send(data)
        for message in Self.messages(in: data) where message.isAnswer {
            if let id = message.object["id"] { unanswered.remove(id) }
        }
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await data in await base.receive() {
                        await note(data)
                        continuation.yield(data)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Waits until every request received has been answered, for at most `timeout`.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !unanswered.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Records the requests in an incoming message, and forgets the ones it cancels.
    private func note(_ data: Data) {
        for message in Self.messages(in: data) {
            if message.isRequest, let id = message.object["id"] {
                unanswered.insert(id)
            } else if message.object["method"]?.stringValue == CancelledNotification.name,
                let id = message.object["params"]?.objectValue?["requestId"]
            {
                unanswered.remove(id)
            }
        }
    }

    /// One JSON-RPC message, as a JSON object.
    private struct Message {
        var object: [String: Value]

        var isRequest: Bool { object["method"] != nil && object["id"] != nil }
        var isAnswer: Bool { object["method"] == nil && (object["result"] != nil || object["error"] != nil) }
    }

    /// The messages in `data`: one, or the items of a batch; none when it is not JSON.
    private static func messages(in data: Data) -> [Message] {
        switch try? JSONDecoder().decode(Value.self, from: data) {
        case .object(let object): [Message(object: object)]
        case .array(let items): items.compactMap { $0.objectValue.map(Message.init) }
        default: []
        }
    }
}
