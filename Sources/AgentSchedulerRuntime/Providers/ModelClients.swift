import AgentSchedulerCore
import Foundation
import Synchronization

/// Builds and keeps one resilient client per catalog model, shared by every session of a process:
/// one HTTP client (with the model's `max-connections` and `timeout`) and one rate limiter per model.
///
/// The owner must call `shutdown()` once no session sends any more, before releasing it: it closes
/// every model's connections, and AsyncHTTPClient traps in debug builds when a running client is
/// released. After `shutdown()`, `client(for:)` and the clients it gave out throw `CancellationError`.
public final class ModelClients: Sendable {
    private struct State {
        var clients: [String: ResilientModelClient] = [:]
        var transports: [HTTPStreamClient] = []
        var isShutDown = false
    }

    private let state = Mutex(State())
    /// The workspace folder: replay transcripts are relative to it.
    public let workspace: URL
    /// Where API keys are read from (the process environment); keys are never logged or stored.
    private let environment: [String: String]
    private let sleep: @Sendable (Duration) async throws -> Void
    /// Every secret of the process (the composition root's), applied to failures and tool results;
    /// each model's client also knows its own key.
    public let redactor: Redactor

    public init(
        workspace: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
        redactor: Redactor = Redactor(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.workspace = workspace
        self.redactor = redactor
        self.environment = environment
        self.sleep = sleep
    }

    /// The client of `model`, made on first use; throws `CancellationError` after `shutdown()`.
    public func client(for model: ModelDefinition) throws -> ResilientModelClient {
        try state.withLock { state in
            guard !state.isShutDown else { throw CancellationError() }
            if let existing = state.clients[model.name] { return existing }
            var transport: HTTPStreamClient?
            let wire = try Self.wireClient(for: model, workspace: workspace, environment: environment) {
                let http = Self.transport(for: model)
                transport = http
                return http
            }
            let client = ResilientModelClient(
                client: wire,
                maxRetries: model.maxRetries ?? 3,
                limiter: model.requestsPerMinute != nil || model.tokensPerMinute != nil
                    ? RequestRateLimiter(
                        requestsPerMinute: model.requestsPerMinute, tokensPerMinute: model.tokensPerMinute)
                    : nil,
                sleep: sleep,
                redactor: redactor.adding(model.apiKeyEnvironment.flatMap { environment[$0] }.map { [$0] } ?? []),
                attemptTimeout: model.provider == .replay ? nil : model.timeout?.duration ?? Self.defaultTotalTimeout)
            state.clients[model.name] = client
            if let transport { state.transports.append(transport) }
            return client
        }
    }

    /// Closes every model's connections; requests still running fail. Calling it again does nothing.
    public func shutdown() async throws {
        let transports = state.withLock { state in
            defer {
                state.isShutDown = true
                state.transports = []
            }
            return state.transports
        }
        var firstError: (any Error)?
        for transport in transports {
            do { try await transport.shutdown() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// How long one request may take, from sending to the last byte, when the catalog names no `timeout`.
    static let defaultTotalTimeout: Duration = .seconds(600)

    /// The HTTP client of `model`: its `max-connections` (64 when absent) and `timeout`: silence
    /// for that long fails a request, and so does the whole exchange taking longer (without a
    /// `timeout`, 120 s of silence or 600 s in all).
    static func transport(for model: ModelDefinition) -> HTTPStreamClient {
        HTTPStreamClient(
            maxConnections: model.maxConnections ?? 64, idleTimeout: model.timeout?.duration ?? .seconds(120),
            totalTimeout: model.timeout?.duration ?? defaultTotalTimeout)
    }

    /// The wire client of `model`; `http` makes its HTTP client, for the providers that need one.
    static func wireClient(
        for model: ModelDefinition, workspace: URL, environment: [String: String],
        http: () -> HTTPStreamClient
    ) throws -> any ModelClient {
        let key = model.apiKeyEnvironment.flatMap { environment[$0] }
        func url(_ text: String?) throws -> URL {
            guard let text, let url = URL(string: text) else {
                throw ProviderFailure(.badRequest(status: 0, message: "model \(model.name) has no usable base-url"))
            }
            return url
        }
        switch model.provider {
        case .openai:
            return OpenAIClient(
                baseURL: try url(model.baseURL ?? model.provider.defaultBaseURL), apiKey: key,
                apiKeyVariable: model.apiKeyEnvironment, http: http())
        case .anthropic:
            return AnthropicClient(
                baseURL: try url(model.baseURL ?? model.provider.defaultBaseURL), apiKey: key,
                apiKeyVariable: model.apiKeyEnvironment, http: http())
        case .replay:
            let folder = model.transcripts ?? "transcripts"
            return ReplayClient(
                transcripts: folder.hasPrefix("/")
                    ? URL(fileURLWithPath: folder) : workspace.appendingPathComponent(folder).standardizedFileURL)
        }
    }
}
