import AgentSchedulerTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain URLSession client for the fake model server, speaking each protocol by hand as a provider client would.
enum TestClient {
    /// The two protocols the server speaks.
    enum Provider: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case openAI
        case anthropic

        var testDescription: String { rawValue }

        /// The path under a base URL that this provider's clients post to.
        var path: String { self == .openAI ? "v1/chat/completions" : "v1/messages" }

        /// A minimal valid request body with one user message.
        func body(model: String = "test-model", stream: Bool = false, text: String = "Hello") -> FakeJSON {
            switch self {
            case .openAI:
                var body: [String: FakeJSON] = [
                    "model": .string(model), "messages": [["role": "user", "content": .string(text)]],
                    "stream": .bool(stream),
                ]
                if stream {
                    body["stream_options"] = ["include_usage": true]
                }
                return .object(body)
            case .anthropic:
                return [
                    "model": .string(model), "max_tokens": 1024,
                    "messages": [["role": "user", "content": .string(text)]],
                    "stream": .bool(stream),
                ]
            }
        }

        /// The headers this provider's clients send.
        var headers: [String: String] {
            switch self {
            case .openAI: ["Authorization": "Bearer sk-test"]
            case .anthropic: ["x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"]
            }
        }
    }

    /// One session for every test: many connections per host, so that concurrency tests are not queued here.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 512
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    /// Posts `body` as JSON to `base` + `provider.path` with the provider's headers.
    static func post(
        _ provider: Provider, _ body: FakeJSON, to base: URL, path: String? = nil, timeout: TimeInterval = 30
    ) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: base.appendingPathComponent(path ?? provider.path))
        request.httpMethod = "POST"
        request.timeoutInterval = timeout
        request.httpBody = body.encoded
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in provider.headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let (data, response) = try await session.data(for: request)
        return (data, response as! HTTPURLResponse)
    }

    /// Posts and decodes the JSON answer, requiring a 200.
    static func postJSON(_ provider: Provider, _ body: FakeJSON, to base: URL) async throws -> FakeJSON {
        let (data, response) = try await post(provider, body, to: base)
        #expect(response.statusCode == 200)
        return try #require(FakeJSON(data: data))
    }

    /// One server-sent event: its `event:` name, if any, and its `data:` text.
    struct Event: Sendable {
        var name: String?
        var data: String

        /// The data decoded as JSON.
        var json: FakeJSON? { FakeJSON(data: Data(data.utf8)) }
    }

    /// The events of a server-sent event stream.
    static func events(in data: Data) -> [Event] {
        String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            var event = Event(name: nil, data: "")
            var sawData = false
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") {
                    event.name = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    event.data += String(line.dropFirst(6))
                    sawData = true
                }
            }
            return sawData ? event : nil
        }
    }
}
