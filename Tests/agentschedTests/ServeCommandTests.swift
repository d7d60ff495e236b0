import AgentSchedulerTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("agentsched serve through the built binary", .serialized, .timeLimit(.minutes(3)))
struct ServeCommandTests {
    @Test("a non-loopback bind without --token-env is refused before anything starts")
    func nonLoopbackNeedsToken() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await workspace.run("serve", "--host", "0.0.0.0", "--port", "0")
        #expect(result.status != 0)
        #expect(result.stderr.contains("needs --token-env"))
    }

    @Test("--token-env naming an unset variable is an error, not an open server")
    func unsetToken() async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await BackgroundAgentsched.run(
            ["serve", "--port", "0", "--token-env", "AGENTSCHED_TEST_NO_SUCH_TOKEN"], in: workspace.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains("AGENTSCHED_TEST_NO_SUCH_TOKEN"))
    }

    /// GET `path` from the server with `headers`: status and body.
    static func get(_ url: String, headers: [(String, String)] = []) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (response.status.code, String(buffer: body))
    }

    @Test("on all interfaces with a token: requests need it, the token is never printed, SIGTERM stops it")
    func tokenServer() async throws {
        let workspace = try TemporaryWorkspace()
        let token = "tok-\(UUID().uuidString)"
        let serve = try BackgroundAgentsched(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--token-env", "AGENTSCHED_TEST_TOKEN"], in: workspace.url,
            environment: ["AGENTSCHED_TEST_TOKEN": token])
        let line = try await serve.line(startingWith: "serving http://")
        #expect(line.contains("$AGENTSCHED_TEST_TOKEN"))
        let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let base = "http://127.0.0.1:\(port)"
        #expect(try await Self.get("\(base)/api/v1/sessions").0 == 401)
        #expect(try await Self.get("\(base)/api/v1/sessions", headers: [("Authorization", "Bearer nope")]).0 == 401)
        let (status, body) = try await Self.get(
            "\(base)/api/v1/sessions", headers: [("Authorization", "Bearer \(token)")])
        #expect(status == 200)
        #expect(body.contains("\"sessions\""))
        serve.signal(SIGTERM)
        let result = try await serve.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(token))
        #expect(!result.stderr.contains(token))
    }

    @Test("without a token, only loopback host names are answered (no DNS rebinding)")
    func loopbackHostOnly() async throws {
        let workspace = try TemporaryWorkspace()
        let serve = try BackgroundAgentsched(["serve", "--port", "0"], in: workspace.url)
        let line = try await serve.line(startingWith: "serving http://127.0.0.1:")
        let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let base = "http://127.0.0.1:\(port)"
        #expect(try await Self.get("\(base)/api/v1/sessions").0 == 200)
        #expect(try await Self.get("\(base)/api/v1/sessions", headers: [("Host", "localhost:\(port)")]).0 == 200)
        let (status, body) = try await Self.get(
            "\(base)/api/v1/sessions", headers: [("Host", "attacker.example:\(port)")])
        #expect(status == 421)
        #expect(body.contains("bad-host"))
        serve.signal(SIGINT)
        #expect(try await serve.wait().status == 0)
    }
}
