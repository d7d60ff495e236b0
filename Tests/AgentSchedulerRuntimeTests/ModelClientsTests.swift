import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// A sleep that records what it was asked and then stops the caller.
actor StoppingSleep {
    private(set) var asked: [Duration] = []
    func sleep(_ duration: Duration) throws {
        asked.append(duration)
        throw CancellationError()
    }
}

@Suite("Clients built from the catalog, rate limits, and provider differences")
struct ModelClientsTests {
    @Test("each catalog provider gets its wire client, with the key read from the named variable")
    func factory() throws {
        let workspace = URL(fileURLWithPath: "/srv/workspace")
        let environment = ["GITHUB_TOKEN": "ghp_secret", "ANTHROPIC_API_KEY": "sk-ant-secret"]
        let openai = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "gpt-4.1", provider: .openai, multiplier: .zero, baseURL: "https://models.github.ai/inference",
                apiKeyEnvironment: "GITHUB_TOKEN"),
            workspace: workspace, environment: environment, http: { HTTPStreamClient() })
        let openAIClient = try #require(openai as? OpenAIClient)
        #expect(openAIClient.apiKey == "ghp_secret")
        #expect(openAIClient.baseURL.absoluteString == "https://models.github.ai/inference")
        let anthropic = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "claude", provider: .anthropic, multiplier: PremiumRequests(1),
                apiKeyEnvironment: "ANTHROPIC_API_KEY"),
            workspace: workspace, environment: environment, http: { HTTPStreamClient() })
        let anthropicClient = try #require(anthropic as? AnthropicClient)
        #expect(anthropicClient.apiKey == "sk-ant-secret")
        #expect(anthropicClient.baseURL.absoluteString == "https://api.anthropic.com")
        let replay = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "local", provider: .replay, multiplier: .zero, transcripts: "examples/transcripts"),
            workspace: workspace, environment: environment, http: { HTTPStreamClient() })
        #expect((replay as? ReplayClient)?.transcripts.path == "/srv/workspace/examples/transcripts")
    }

    @Test("a missing key is sent as no key; the provider's refusal names the variable")
    func missingKey() throws {
        let client = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "gpt", provider: .openai, multiplier: .zero, apiKeyEnvironment: "OPENAI_API_KEY"),
            workspace: URL(fileURLWithPath: "/"), environment: [:], http: { HTTPStreamClient() })
        let request = (client as! OpenAIClient).makeRequest(ModelRequest(model: "gpt", messages: [.user("hi")]))
        #expect(!request.headers.contains(name: "Authorization"))
        #expect(request.url == "https://api.openai.com/v1/chat/completions")
    }

    @Test("Azure OpenAI gets an api-key header and an api-version query instead of a bearer token")
    func azure() {
        let client = OpenAIClient(
            baseURL: URL(string: "https://acme.openai.azure.com/openai/deployments/gpt-4o")!, apiKey: "azure-key",
            apiKeyVariable: "AZURE_OPENAI_API_KEY", http: HTTPStreamClient())
        let request = client.makeRequest(ModelRequest(model: "gpt-4o", messages: [.user("hi")]))
        #expect(request.headers["api-key"] == ["azure-key"])
        #expect(!request.headers.contains(name: "Authorization"))
        #expect(
            request.url
                == "https://acme.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
    }

    @Test(
        "a catalog model's HTTP client gets its max-connections and timeout, idle and total; replay models get none")
    func transportSettings() async throws {
        let clients = ModelClients(workspace: URL(fileURLWithPath: "/"), environment: [:])
        let model = ModelDefinition(
            name: "gpt", provider: .openai, multiplier: .zero, timeout: HumanDuration(.milliseconds(1500)),
            maxConnections: 4)
        let wire = try #require(try clients.client(for: model).client as? OpenAIClient)
        #expect(wire.http.maxConnections == 4)
        #expect(wire.http.idleTimeout == .milliseconds(1500))
        #expect(wire.http.totalTimeout == .milliseconds(1500))
        #expect(try clients.client(for: model).attemptTimeout == .milliseconds(1500))
        #expect(try clients.client(for: model).client as? OpenAIClient != nil)
        let defaults = try #require(
            try clients.client(for: ModelDefinition(name: "claude", provider: .anthropic, multiplier: .zero)).client
                as? AnthropicClient)
        #expect(defaults.http.maxConnections == 64)
        #expect(defaults.http.idleTimeout == .seconds(120))
        #expect(defaults.http.totalTimeout == .seconds(600))
        try await clients.shutdown()
    }

    @Test("shutdown closes every model's client once; afterwards clients and their requests are cancelled")
    func shutdown() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("one"), .text("two")], for: "s")
            let clients = ModelClients(workspace: URL(fileURLWithPath: "/"), environment: [:])
            let model = ModelDefinition(
                name: "local", provider: .openai, multiplier: .zero,
                baseURL: server.baseURL(for: "s").appendingPathComponent("v1").absoluteString)
            let client = try clients.client(for: model)
            let request = ModelRequest(model: "local", messages: [.user("hi")])
            #expect(try await client.send(request).message.content == "one")
            try await clients.shutdown()
            try await clients.shutdown()
            await #expect(throws: CancellationError.self) { _ = try await client.send(request) }
            #expect(throws: CancellationError.self) { _ = try clients.client(for: model) }
            #expect(server.attempts(for: "s") == 1)
        }
    }

    @Test("requests per minute: the third request within a minute of two waits out the window")
    func requestsPerMinute() async throws {
        let limiter = RequestRateLimiter(requestsPerMinute: 2, tokensPerMinute: nil)
        let sleep = StoppingSleep()
        try await limiter.acquire(tokens: 10) { try await sleep.sleep($0) }
        try await limiter.acquire(tokens: 10) { try await sleep.sleep($0) }
        await #expect(throws: CancellationError.self) {
            try await limiter.acquire(tokens: 10) { try await sleep.sleep($0) }
        }
        let asked = try #require(await sleep.asked.first)
        #expect(asked > .seconds(59) && asked <= .seconds(60))
    }

    @Test("tokens per minute: a request that would pass the budget waits, the first never does")
    func tokensPerMinute() async throws {
        let limiter = RequestRateLimiter(requestsPerMinute: nil, tokensPerMinute: 1000)
        let sleep = StoppingSleep()
        try await limiter.acquire(tokens: 5000) { try await sleep.sleep($0) }
        await #expect(throws: CancellationError.self) {
            try await limiter.acquire(tokens: 1) { try await sleep.sleep($0) }
        }
        #expect(await sleep.asked.count == 1)
    }
}
