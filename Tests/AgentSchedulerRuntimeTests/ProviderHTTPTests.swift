import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// Records the waits a client asked for, without waiting.
actor SleepLog {
    private(set) var waits: [Duration] = []
    func record(_ duration: Duration) { waits.append(duration) }
}

/// Records failures reported by the resilient client.
actor FailureLog {
    private(set) var failures: [String] = []
    func record(_ failure: ProviderFailure, _ retryIn: Duration?) {
        failures.append("\(failure.className) \(failure.attempt)" + (retryIn == nil ? " final" : ""))
    }
}

@Suite("Providers against the fake model server over HTTP")
struct ProviderHTTPTests {
    enum Provider: String, CaseIterable, Sendable {
        case openai, anthropic
    }

    static func client(
        _ provider: Provider, server: FakeModelServer, key: String, http: HTTPStreamClient
    )
        -> any ModelClient
    {
        switch provider {
        case .openai:
            return OpenAIClient(
                baseURL: server.baseURL(for: key).appendingPathComponent("v1"), apiKey: "sk-test",
                apiKeyVariable: "OPENAI_API_KEY", http: http)
        case .anthropic:
            return AnthropicClient(
                baseURL: server.baseURL(for: key), apiKey: "sk-ant-test", apiKeyVariable: "ANTHROPIC_API_KEY",
                http: http)
        }
    }

    /// Runs `body` with a client of `provider` for the script `key`, and shuts its HTTP client down after.
    static func withClient<T>(
        _ provider: Provider, server: FakeModelServer, key: String, idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 8, bodyLimit: Int = 64 << 20, _ body: (any ModelClient) async throws -> T
    ) async throws -> T {
        let http = HTTPStreamClient(maxConnections: maxConnections, idleTimeout: idleTimeout, bodyLimit: bodyLimit)
        do {
            let result = try await body(client(provider, server: server, key: key, http: http))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static let request = ModelRequest(
        model: "m", messages: [.system("You fix bugs."), .user("Issue #1: crash")],
        tools: [
            ToolDefinition(
                name: "read", description: "Read a file",
                parameters: .object([("type", .string("object")), ("properties", .object([]))]))
        ])

    @Test(
        "a tool call and then a text answer come back whole, streamed and not, with token usage",
        arguments: Provider.allCases, [true, false])
    func roundTrip(provider: Provider, stream: Bool) async throws {
        try await FakeModelServer.withServer { server in
            let key = "\(provider)-\(stream)"
            server.setScript(
                [
                    .textAndToolCalls("Let me look.", [("read", #"{"path":"Sources/main.swift"}"#)]),
                    .text("All fixed."),
                ],
                for: key)
            try await Self.withClient(provider, server: server, key: key) { client in
                var request = Self.request
                request.stream = stream
                let first = try await client.send(request, attempt: 1)
                #expect(first.message.content == "Let me look.")
                #expect(first.message.toolCalls.map(\.name) == ["read"])
                let arguments = try JSONDecoder().decode(
                    JSONValue.self, from: Data(first.message.toolCalls[0].arguments.utf8))
                #expect(arguments == .object([("path", .string("Sources/main.swift"))]))
                #expect(first.usage.input > 0 && first.usage.output > 0)
                request.messages += [
                    first.message, .tool("import Foundation", answering: first.message.toolCalls[0].id),
                ]
                let second = try await client.send(request, attempt: 1)
                #expect(second.message == .assistant("All fixed."))
            }
            let received = server.requests(for: key)
            #expect(received.count == 2)
            let headers = try #require(received.first?.headers)
            switch provider {
            case .openai: #expect(headers["authorization"] == "Bearer sk-test")
            case .anthropic: #expect(headers["x-api-key"] == "sk-ant-test")
            }
        }
    }

    /// (fault, retried steps before success?, expected failures reported, server attempts)
    static let retriedFaults: [(String, FakeModelStep, [String])] = [
        ("429 with Retry-After", .rateLimited(retryAfter: .milliseconds(20)), ["rate-limited 1"]),
        ("429 without Retry-After", .rateLimited(retryAfter: nil), ["rate-limited 1"]),
        ("500", .serverError(500), ["server-error 1"]),
        ("503", .serverError(503), ["server-error 1"]),
        ("malformed JSON", .malformedJSON, ["malformed-response 1"]),
        ("dropped connection", .dropConnection, ["connection 1"]),
    ]

    @Test(
        "transient faults are retried once and then succeed; the server saw exactly two attempts",
        arguments: Provider.allCases)
    func transientFaults(provider: Provider) async throws {
        for (name, fault, expected) in Self.retriedFaults {
            try await FakeModelServer.withServer { server in
                let key = "fault"
                server.setScript([fault, .text("recovered")], for: key)
                let sleeps = SleepLog()
                let failures = FailureLog()
                let response = try await Self.withClient(provider, server: server, key: key) { client in
                    let resilient = ResilientModelClient(
                        client: client, maxRetries: 3, sleep: { await sleeps.record($0) })
                    return try await resilient.send(Self.request) { await failures.record($0, $1) }
                }
                #expect(response.message.content == "recovered", "\(name)")
                #expect(await failures.failures == expected, "\(name)")
                #expect(server.attempts(for: key) == 2, "\(name)")
                #expect(await sleeps.waits.count == 1, "\(name)")
                if case .rateLimited(let retryAfter?) = fault {
                    // The server rounds Retry-After up to whole seconds, as real providers do; that is what we wait.
                    let waits = await sleeps.waits
                    #expect(waits == [.seconds(1)], "\(name) waits what the provider said (\(retryAfter)): \(waits)")
                }
            }
        }
    }

    @Test("a truncated stream is a malformed response, retried", arguments: Provider.allCases)
    func truncatedStream(provider: Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.truncatedStream, .text("whole")], for: "t")
            let failures = FailureLog()
            let response = try await Self.withClient(provider, server: server, key: "t") { client in
                try await ResilientModelClient(client: client, sleep: { _ in }).send(Self.request) {
                    await failures.record($0, $1)
                }
            }
            #expect(response.message.content == "whole")
            #expect(await failures.failures == ["malformed-response 1"])
        }
    }

    @Test("a hanging response times out, is retried, and does not hold up other requests", arguments: Provider.allCases)
    func hang(provider: Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.hang, .text("after the hang")], for: "h")
            let failures = FailureLog()
            let response = try await Self.withClient(provider, server: server, key: "h", idleTimeout: .seconds(10)) {
                client in
                try await ResilientModelClient(client: client, sleep: { _ in }).send(Self.request) {
                    await failures.record($0, $1)
                }
            }
            #expect(response.message.content == "after the hang")
            #expect(await failures.failures == ["timeout 1"])
        }
    }

    @Test(
        "authentication and bad requests stop at once with the reason; nothing is retried",
        arguments: Provider.allCases)
    func finalFailures(provider: Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.unauthorized], for: "auth")
            server.setScript([.badRequest("messages: field required")], for: "bad")
            let failures = FailureLog()
            for key in ["auth", "bad"] {
                try await Self.withClient(provider, server: server, key: key) { client in
                    let resilient = ResilientModelClient(client: client, sleep: { _ in })
                    do {
                        _ = try await resilient.send(Self.request) { await failures.record($0, $1) }
                        Issue.record("\(key) should fail")
                    } catch let failure as ProviderFailure {
                        if key == "auth" {
                            let variable = provider == .openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"
                            #expect(
                                failure.description == "authentication failed (401): check the key in $\(variable)")
                        } else {
                            #expect(failure.description.hasSuffix("messages: field required"))
                        }
                    }
                }
                #expect(server.attempts(for: key) == 1)
            }
            #expect(await failures.failures == ["authentication 1 final", "bad-request 1 final"])
        }
    }

    @Test("retries stop after max-retries: four 500s give up at the fourth attempt", arguments: Provider.allCases)
    func retriesExhausted(provider: Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript(Array(repeating: .serverError(500), count: 5), for: "x")
            let failures = FailureLog()
            try await Self.withClient(provider, server: server, key: "x") { client in
                let resilient = ResilientModelClient(client: client, maxRetries: 3, sleep: { _ in })
                let thrown = await #expect(throws: ProviderFailure.self) {
                    _ = try await resilient.send(Self.request) { await failures.record($0, $1) }
                }
                #expect(thrown?.kind == .server(status: 500))
                #expect(thrown?.attempt == 4)
                // The provider's own explanation is kept with the status.
                #expect(thrown?.message?.isEmpty == false)
            }
            #expect(server.attempts(for: "x") == 4)
            #expect(
                await failures.failures == [
                    "server-error 1", "server-error 2", "server-error 3", "server-error 4 final",
                ])
        }
    }
}
