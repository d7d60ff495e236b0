import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
            workspace: workspace, environment: environment)
        let openAIClient = try #require(openai as? OpenAIClient)
        #expect(openAIClient.apiKey == "ghp_secret")
        #expect(openAIClient.baseURL.absoluteString == "https://models.github.ai/inference")
        let anthropic = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "claude", provider: .anthropic, multiplier: PremiumRequests(1),
                apiKeyEnvironment: "ANTHROPIC_API_KEY"),
            workspace: workspace, environment: environment)
        let anthropicClient = try #require(anthropic as? AnthropicClient)
        #expect(anthropicClient.apiKey == "sk-ant-secret")
        #expect(anthropicClient.baseURL.absoluteString == "https://api.anthropic.com")
        let replay = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "local", provider: .replay, multiplier: .zero, transcripts: "examples/transcripts"),
            workspace: workspace, environment: environment)
        #expect((replay as? ReplayClient)?.transcripts.path == "/srv/workspace/examples/transcripts")
    }

    @Test("a missing key is sent as no key; the provider's refusal names the variable")
    func missingKey() throws {
        let client = try ModelClients.wireClient(
            for: ModelDefinition(
                name: "gpt", provider: .openai, multiplier: .zero, apiKeyEnvironment: "OPENAI_API_KEY"),
            workspace: URL(fileURLWithPath: "/"), environment: [:])
        let request = (client as! OpenAIClient).makeURLRequest(ModelRequest(model: "gpt", messages: [.user("hi")]))
        #expect(request.value(forHTTPHeaderField: "Authorization") == nil)
        #expect(request.url?.absoluteString == "https://api.openai.com/v1/chat/completions")
    }

    @Test("Azure OpenAI gets an api-key header and an api-version query instead of a bearer token")
    func azure() {
        let client = OpenAIClient(
            baseURL: URL(string: "https://acme.openai.azure.com/openai/deployments/gpt-4o")!, apiKey: "azure-key",
            apiKeyVariable: "AZURE_OPENAI_API_KEY", http: HTTPStreamClient())
        let request = client.makeURLRequest(ModelRequest(model: "gpt-4o", messages: [.user("hi")]))
        #expect(request.value(forHTTPHeaderField: "api-key") == "azure-key")
        #expect(request.value(forHTTPHeaderField: "Authorization") == nil)
        #expect(
            request.url?.absoluteString
                == "https://acme.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
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
