import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A fake model provider on 127.0.0.1 that speaks the real OpenAI Chat Completions and Anthropic Messages
/// protocols over real HTTP, playing scripts that tests write.
///
/// Serves `POST {prefix}/chat/completions` and `{prefix}/v1/chat/completions` (OpenAI) and `{prefix}/v1/messages`
/// (Anthropic), streamed (server-sent events) or not, as the request's `stream` asks. The prefix
/// `/sessions/{key}` selects the script registered for `key`; with no prefix the default script (`key` `nil`)
/// plays. Each request consumes its script's next step; once a script runs out, requests get the text `done`.
///
/// Easiest is ``withServer(latency:_:)``, which starts the server on a port the system chooses, runs the body
/// and stops it. To own the task instead, run ``run()`` in a task group, `await` ``waitUntilListening()`` before
/// using ``baseURL(for:)``, and call ``stop()`` (or cancel the task) at the end.
///
/// ```swift
/// try await FakeModelServer.withServer { server in
///     server.setScript([.toolCalls([("read_file", #"{"path":"README.md"}"#)]), .text("It is a README.")],
///                      for: "session-1")
///     let openAIBase = server.baseURL(for: "session-1").appending(path: "v1")  // …/sessions/session-1/v1
///     // run the code under test against openAIBase, then:
///     #expect(server.requests(for: "session-1").count == 2)
/// }
/// ```
///
/// Requests wait for the configured latency before they are answered, each in its own task, so hundreds of
/// concurrent requests all finish after about one latency. Validation follows the real providers where clients
/// often go wrong (missing fields, unanswered tool calls) and answers 400 without consuming a step. Every answer
/// carries `Connection: close` and the server then closes the connection, so each request gets a fresh one and
/// faults stay deterministic (clients resend requests that die on a reused connection).
public final class FakeModelServer: Sendable {
    /// The delay before each answer.
    public let latency: Duration
    /// The address it listens on.
    public let host: String

    private let server: LoopbackHTTPServer
    private let book = ScriptBook()
    private let gate = AnswerGate()

    /// A server that waits `latency` before each answer; it listens once ``run()`` is called.
    ///
    /// With `keepsConnectionsOpen`, complete answers keep their connection open for the next request, as real
    /// providers do (for measuring clients); faults still close theirs. Tests of faults should leave it off:
    /// a client that meets `.dropConnection` on a reused connection may resend the request by itself.
    ///
    /// `flavor` picks the server imitated on the Chat Completions endpoint: OpenAI's, or llama.cpp's
    /// with its quirks (`FakeServerFlavor.llamaCpp`).
    ///
    /// `host` is the IPv4 address it listens on: 127.0.0.1, or an address of this machine a test
    /// made for processes in other network namespaces.
    public init(
        latency: Duration = .zero, keepsConnectionsOpen: Bool = false, flavor: FakeServerFlavor = .openAI,
        host: String = "127.0.0.1"
    ) {
        self.latency = latency
        self.host = host
        let book = book
        let gate = gate
        // A day: FlyingFox answers a handler that runs longer with 500, which would end `.hang` early.
        server = LoopbackHTTPServer(host: host, timeout: 86_400) { _ in
            FakeModelHandler(
                book: book, latency: latency, keepsConnectionsOpen: keepsConnectionsOpen, flavor: flavor, gate: gate)
        }
    }

    /// Starts a server on 127.0.0.1 with a port the system chooses, waits until it listens, runs `body` with it,
    /// and stops it (releasing any hanging requests) whether `body` returns or throws.
    public static func withServer<T>(
        latency: Duration = .zero, keepsConnectionsOpen: Bool = false, flavor: FakeServerFlavor = .openAI,
        host: String = "127.0.0.1", _ body: (FakeModelServer) async throws -> T
    ) async throws -> T {
        let server = FakeModelServer(
            latency: latency, keepsConnectionsOpen: keepsConnectionsOpen, flavor: flavor, host: host)
        return try await server.server.serving { try await body(server) }
    }

    /// Listens and serves until ``stop()`` is called or the task is cancelled.
    public func run() async throws {
        try await server.run()
    }

    /// Waits until the server listens (at most a minute) and learns its port.
    public func waitUntilListening() async throws {
        try await server.waitUntilListening()
    }

    /// Stops listening, closes every connection and releases hanging requests.
    public func stop() async {
        await server.stop()
    }

    /// The port the server listens on; known once ``waitUntilListening()`` has returned.
    public var listeningPort: UInt16 {
        guard let port = server.port.current else {
            preconditionFailure("FakeModelServer: call waitUntilListening() before asking for its port or URLs")
        }
        return port
    }

    /// The base URL for the script `key`: `http://127.0.0.1:PORT/sessions/KEY`, or `http://127.0.0.1:PORT` for the
    /// default script.
    ///
    /// Anthropic clients append `/v1/messages` to it. OpenAI clients whose base URL conventionally ends in `/v1`
    /// may append `v1` first; `…/chat/completions` is answered with or without it. The key must not be empty or
    /// contain `/`; other characters are percent-encoded here and decoded by the server.
    public func baseURL(for key: String? = nil) -> URL {
        var text = "http://\(host):\(listeningPort)"
        if let key {
            precondition(!key.isEmpty && !key.contains("/"), "FakeModelServer: a script key must be one path segment")
            text +=
                "/sessions/"
                + (key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? key)
        }
        return URL(string: text)!
    }

    /// Replaces the script of `key` (`nil`: the default script) with `steps`, starting from the first step.
    /// Requests already recorded and the tool-call id counter are kept.
    public func setScript(_ steps: [FakeModelStep], for key: String? = nil) {
        book.setSteps(steps, for: key)
    }

    /// Gives every conversation on `key` the same script: a request is answered with the step at the
    /// index of its number of assistant messages (the first request of a conversation gets the first
    /// step), so concurrent sessions sharing one base URL each play the whole script.
    public func setConversationScript(_ steps: [FakeModelStep], for key: String? = nil) {
        book.setConversationSteps(steps, for: key)
    }

    /// Adds `steps` to the end of the script of `key`.
    public func appendScript(_ steps: [FakeModelStep], for key: String? = nil) {
        book.appendSteps(steps, for: key)
    }

    /// Every request received for `key` (`nil`: requests without a `/sessions/…` prefix), oldest first.
    public func requests(for key: String? = nil) -> [FakeModelRequest] {
        book.requests(for: key)
    }

    /// The number of requests received for `key`, including those that failed validation or met a fault.
    public func attempts(for key: String? = nil) -> Int {
        book.requests(for: key).count
    }

    /// Holds every scripted answer from now on: a request still takes its step and is recorded,
    /// then waits until ``releaseAnswers()``, so a test can act while a client waits for its answer.
    public func holdAnswers() {
        gate.close()
    }

    /// Sends every held answer, and answers later requests at once again.
    public func releaseAnswers() {
        gate.open()
    }

    /// The number of answers held now.
    public var heldAnswers: Int { gate.waitingCount }

    /// The number of steps of `key` not yet played.
    public func remainingSteps(for key: String? = nil) -> Int {
        book.remainingSteps(for: key)
    }
}
