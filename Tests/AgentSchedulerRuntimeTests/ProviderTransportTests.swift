import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerRuntime

@Suite("The HTTP transport: cancellation, connection limits, body limits, shutdown")
struct ProviderTransportTests {
    typealias Provider = ProviderHTTPTests.Provider

    @Test("cancelling the calling task cancels a hanging request at once", arguments: Provider.allCases)
    func cancellation(provider: Provider) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.hang], for: "c")
            try await ProviderHTTPTests.withClient(provider, server: server, key: "c", idleTimeout: .seconds(30)) {
                client in
                var cancelled = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try await client.send(ProviderHTTPTests.request, attempt: 1) }
                    while server.attempts(for: "c") == 0 { try await Task.sleep(for: .milliseconds(10)) }
                    cancelled = ContinuousClock.now
                    group.cancelAll()
                    await #expect(throws: CancellationError.self) { try await group.next() }
                }
                // The hang would last until the 30 s idle timeout; cancellation ends it well before.
                #expect(ContinuousClock.now - cancelled < .seconds(15))
            }
        }
    }

    @Test(
        "a body longer than the limit is a malformed response, streamed or not",
        arguments: Provider.allCases, [true, false])
    func bodyLimit(provider: Provider, stream: Bool) async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text(String(repeating: "long answer ", count: 100))], for: "b")
            try await ProviderHTTPTests.withClient(provider, server: server, key: "b", bodyLimit: 256) { client in
                var request = ProviderHTTPTests.request
                request.stream = stream
                await #expect(throws: ProviderFailure(.malformed("the response is longer than 256 bytes"))) {
                    _ = try await client.send(request, attempt: 1)
                }
            }
        }
    }

    @Test("no more requests run at once than max-connections allows")
    func maxConnections() async throws {
        try await FakeModelServer.withServer(latency: .milliseconds(200)) { server in
            func elapsed(maxConnections: Int) async throws -> Duration {
                let keys = (0..<6).map { "m\(maxConnections)-\($0)" }
                let started = ContinuousClock.now
                try await Self.sendAnsweredOK(
                    keys, to: server,
                    through: HTTPStreamClient(maxConnections: maxConnections, idleTimeout: .seconds(60)))
                return ContinuousClock.now - started
            }
            // Two connections serve six requests in three rounds of 200 ms; six serve them in one.
            let two = try await elapsed(maxConnections: 2)
            let six = try await elapsed(maxConnections: 6)
            #expect(two >= .milliseconds(600), "\(two)")
            // Six connections are faster than two's three rounds; on a loaded machine, not always under 600 ms.
            #expect(six < two, "\(six) vs \(two)")
        }
    }

    @Test("requests waiting for a busy connection wait as long as it takes, past the connect timeout")
    func waitingOutlastsConnectTimeout() async throws {
        // One connection, 500 ms a request, and a 2 s connect timeout: the sixth request waits 2.5 s
        // for the connection. AsyncHTTPClient's own queue would fail it after 2 s.
        try await FakeModelServer.withServer(latency: .milliseconds(500)) { server in
            let keys = (0..<6).map { "w\($0)" }
            try await Self.sendAnsweredOK(
                keys, to: server,
                through: HTTPStreamClient(maxConnections: 1, idleTimeout: .seconds(60), connectTimeout: .seconds(2)))
            #expect(keys.allSatisfy { server.attempts(for: $0) == 1 })
        }
    }

    @Test("cancelling a request that waits for a connection ends its wait at once and sends nothing")
    func cancelWhileWaiting() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.hang], for: "busy")
            server.setScript([.text("never")], for: "queued")
            let http = HTTPStreamClient(maxConnections: 1, idleTimeout: .seconds(30))
            let busy = ProviderHTTPTests.client(.openai, server: server, key: "busy", http: http)
            let queued = ProviderHTTPTests.client(.openai, server: server, key: "queued", http: http)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try? await busy.send(ProviderHTTPTests.request, attempt: 1) }
                while server.attempts(for: "busy") == 0 { try await Task.sleep(for: .milliseconds(10)) }
                let waiting = Task { try await queued.send(ProviderHTTPTests.request, attempt: 1) }
                try await Task.sleep(for: .milliseconds(100))
                waiting.cancel()
                await #expect(throws: CancellationError.self) { _ = try await waiting.value }
                group.cancelAll()
            }
            try await http.shutdown()
            #expect(server.attempts(for: "queued") == 0)
        }
    }

    @Test("a shut-down client refuses requests as cancelled; shutting down twice does nothing")
    func shutdown() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("before")], for: "s")
            let http = HTTPStreamClient()
            let client = ProviderHTTPTests.client(.anthropic, server: server, key: "s", http: http)
            #expect(try await client.send(ProviderHTTPTests.request, attempt: 1).message.content == "before")
            try await http.shutdown()
            try await http.shutdown()
            await #expect(throws: CancellationError.self) {
                _ = try await client.send(ProviderHTTPTests.request, attempt: 1)
            }
            #expect(server.attempts(for: "s") == 1)
        }
    }

    @Test("a redirect is not followed: it would carry the key elsewhere; the failure says where to point")
    func redirect() {
        let failure = HTTPFailure.classify(
            status: 308, headers: ["location": "https://api.example.com/v1/chat/completions"], body: Data(),
            apiKeyVariable: "OPENAI_API_KEY", attempt: 1)
        #expect(
            failure.kind
                == .badRequest(
                    status: 308,
                    message:
                        "redirected to https://api.example.com/v1/chat/completions; set the model's base-url to where it points"
                ))
        #expect(!failure.isRetryable)
    }

    /// Sends one request per key at once through `http`, each scripted to answer "ok", checks every
    /// answer, and shuts `http` down however it ends.
    static func sendAnsweredOK(
        _ keys: [String], to server: FakeModelServer, through http: HTTPStreamClient
    )
        async throws
    {
        for key in keys { server.setScript([.text("ok")], for: key) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys {
                    let client = ProviderHTTPTests.client(.openai, server: server, key: key, http: http)
                    group.addTask {
                        let response = try await client.send(ProviderHTTPTests.request, attempt: 1)
                        #expect(response.message.content == "ok")
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
