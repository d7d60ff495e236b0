import AgentSchedulerCore
import Foundation

/// Builds and keeps one resilient client per catalog model, shared by every session of a process:
/// one connection pool (raised to the model's `max-connections`) and one rate limiter per model.
public final class ModelClients: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [String: ResilientModelClient] = [:]
    /// The workspace folder: replay transcripts are relative to it.
    public let workspace: URL
    /// Where API keys are read from (the process environment); keys are never logged or stored.
    private let environment: [String: String]
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        workspace: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.workspace = workspace
        self.environment = environment
        self.sleep = sleep
    }

    /// The client of `model`, made on first use.
    public func client(for model: ModelDefinition) throws -> ResilientModelClient {
        try lock.withLock {
            if let existing = clients[model.name] { return existing }
            let client = ResilientModelClient(
                client: try Self.wireClient(for: model, workspace: workspace, environment: environment),
                maxRetries: model.maxRetries ?? 3,
                limiter: model.requestsPerMinute != nil || model.tokensPerMinute != nil
                    ? RequestRateLimiter(
                        requestsPerMinute: model.requestsPerMinute, tokensPerMinute: model.tokensPerMinute)
                    : nil,
                sleep: sleep)
            clients[model.name] = client
            return client
        }
    }

    static func wireClient(
        for model: ModelDefinition, workspace: URL, environment: [String: String]
    ) throws -> any ModelClient {
        let key = model.apiKeyEnvironment.flatMap { environment[$0] }
        let timeout = model.timeout.map { TimeInterval($0.duration.components.seconds) } ?? 120
        func http() -> HTTPStreamClient {
            HTTPStreamClient(maxConnections: model.maxConnections ?? 64, idleTimeout: timeout)
        }
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
