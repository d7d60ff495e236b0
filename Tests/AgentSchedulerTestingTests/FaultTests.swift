import AgentSchedulerTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Faults answer as the real providers fail, each in the provider's error shape.
@Suite("Faults")
struct FaultTests {
    /// A fault that answers with an HTTP error, and what each provider says.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var step: FakeModelStep
        var status: Int
        var openAIType: String
        var anthropicType: String

        var testDescription: String { "\(status) \(anthropicType)" }

        static let all = [
            ErrorCase(
                step: .rateLimited(retryAfter: nil), status: 429, openAIType: "requests",
                anthropicType: "rate_limit_error"),
            ErrorCase(step: .serverError(500), status: 500, openAIType: "server_error", anthropicType: "api_error"),
            ErrorCase(
                step: .serverError(503), status: 503, openAIType: "server_error", anthropicType: "overloaded_error"),
            ErrorCase(
                step: .badRequest("context too long"), status: 400, openAIType: "invalid_request_error",
                anthropicType: "invalid_request_error"),
            ErrorCase(
                step: .unauthorized, status: 401, openAIType: "invalid_request_error",
                anthropicType: "authentication_error"),
        ]
    }

    @Test(
        "Error faults answer with the status and the provider's error JSON", arguments: ErrorCase.all,
        TestClient.Provider.allCases)
    func errors(fault: ErrorCase, provider: TestClient.Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([fault.step])
            let (data, response) = try await TestClient.post(provider, provider.body(), to: server.baseURL())
            #expect(response.statusCode == fault.status)
            #expect(response.value(forHTTPHeaderField: "Content-Type") == "application/json")
            #expect(response.value(forHTTPHeaderField: "Retry-After") == nil)
            let body = try #require(FakeJSON(data: data))
            switch provider {
            case .openAI:
                #expect(body["error"]?["type"]?.stringValue == fault.openAIType)
                #expect(body["error"]?["message"]?.stringValue?.isEmpty == false)
                #expect(body["error"]?["code"] != nil)
            case .anthropic:
                #expect(body["type"] == "error")
                #expect(body["error"]?["type"]?.stringValue == fault.anthropicType)
                #expect(body["error"]?["message"]?.stringValue?.isEmpty == false)
            }
            if case .badRequest(let message) = fault.step {
                #expect(body["error"]?["message"]?.stringValue == message)
            }
            // The script moved on: the next request succeeds.
            let (_, next) = try await TestClient.post(provider, provider.body(), to: server.baseURL())
            #expect(next.statusCode == 200)
        }
    }

    @Test("A rate limit with a delay says when to retry", arguments: TestClient.Provider.allCases)
    func retryAfter(provider: TestClient.Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.rateLimited(retryAfter: .milliseconds(1500))])
            let (_, response) = try await TestClient.post(provider, provider.body(), to: server.baseURL())
            #expect(response.statusCode == 429)
            #expect(response.value(forHTTPHeaderField: "Retry-After") == "2")
            #expect(response.value(forHTTPHeaderField: "retry-after-ms") == "1500")
            if provider == .openAI {
                #expect(response.value(forHTTPHeaderField: "x-ratelimit-reset-requests") == "1.5s")
            }
        }
    }

    @Test("A malformed answer is a 200 whose body is not JSON", arguments: TestClient.Provider.allCases, [false, true])
    func malformed(provider: TestClient.Provider, stream: Bool) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.malformedJSON])
            let (data, response) = try await TestClient.post(
                provider, provider.body(stream: stream), to: server.baseURL())
            #expect(response.statusCode == 200)
            if stream {
                let events = TestClient.events(in: data)
                #expect(events.first?.json == nil)
            } else {
                #expect(FakeJSON(data: data) == nil)
            }
        }
    }

    @Test(
        "Truncated answers and dropped connections fail the client's request",
        arguments: [FakeModelStep.truncatedStream, .dropConnection], [false, true])
    func brokenConnections(step: FakeModelStep, stream: Bool) async throws {
        try await FakeModelServer.withServer { server in
            for provider in TestClient.Provider.allCases {
                server.setScript([step], for: provider.rawValue)
                await #expect(throws: URLError.self) {
                    _ = try await TestClient.post(
                        provider, provider.body(stream: stream), to: server.baseURL(for: provider.rawValue))
                }
                // The server carries on.
                let (_, next) = try await TestClient.post(
                    provider, provider.body(), to: server.baseURL(for: provider.rawValue))
                #expect(next.statusCode == 200)
            }
        }
    }

    @Test("A hanging request times out in the client while the server answers others, and ends when the server stops")
    func hang() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.hang], for: "stuck")
            await #expect {
                _ = try await TestClient.post(
                    .openAI, TestClient.Provider.openAI.body(), to: server.baseURL(for: "stuck"), timeout: 2)
            } throws: { error in
                (error as? URLError)?.code == .timedOut
            }
            let answer = try await TestClient.postJSON(.openAI, TestClient.Provider.openAI.body(), to: server.baseURL())
            #expect(answer["choices"]?[0]?["message"]?["content"] == "done")
            #expect(server.attempts(for: "stuck") == 1)
        }
    }
}
