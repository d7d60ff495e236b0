import AgentSchedulerLedger
import AgentSchedulerServer
import AgentSchedulerTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every route's answers, and the requests sent to them, checked against `/api/v1/openapi.json`
/// by real validators (openapi-spec-validator and jsonschema, in the MCP peer's Python venv).
@Suite("The OpenAPI document describes every answer", .enabled(if: MCPPeer.enabled))
struct OpenAPIConformanceTests {
    /// One exchange, as `check_answers.py` reads it.
    struct Record: Encodable {
        var method: String
        var path: String
        var status: Int
        var contentType: String?
        var body: String
        var requestBody: String?
        var validRequest: Bool

        enum CodingKeys: String, CodingKey {
            case method, path, status, body
            case contentType = "content_type"
            case requestBody = "request_body"
            case validRequest = "valid_request"
        }
    }

    /// Sends requests and keeps each exchange.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var records: [Record] = []

        func send(
            _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, json: String? = nil,
            valid: Bool = true, headers: HTTPFields = [:]
        ) async throws -> TestResponse {
            var headers = headers
            if json != nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(
                uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
            lock.withLock {
                records.append(
                    Record(
                        method: method.rawValue, path: path, status: Int(response.status.code),
                        contentType: response.headers[.contentType], body: String(buffer: response.body),
                        requestBody: json, validRequest: valid))
            }
            return response
        }

        var all: [Record] { lock.withLock { records } }
    }

    @Test("every route's answers fit the document, and the document is valid OpenAPI 3.1")
    func answersFit() async throws {
        let python = try MCPPeer.requirePython()
        let served = try await ServedWorkspace()
        let recorder = Recorder()
        let completed = try #require(try await served.ledger.sessions(in: [.completed]).first)
        let patched = try #require(try await served.ledger.sessions(in: []).first { $0.outputs.patch != nil })
        let assign =
            #"{"repository": "acme/webapp", "issues": [301], "title": "Fix it", "agent": "implementer", "as": "alice"}"#
        try await served.test { client in
            let r = recorder
            _ = try await r.send(client, .get, "/api/v1/openapi.json")
            _ = try await r.send(client, .get, "/api/v1/sessions")
            _ = try await r.send(client, .get, "/api/v1/sessions?state=completed&agent=implementer")
            _ = try await r.send(client, .get, "/api/v1/sessions?state=nope")
            _ = try await r.send(client, .get, "/api/v1/sessions/\(completed.id)")
            _ = try await r.send(client, .get, "/api/v1/sessions/999999")
            _ = try await r.send(client, .get, "/api/v1/sessions/\(completed.id)/events?limit=3")
            _ = try await r.send(client, .get, "/api/v1/sessions/999999/events")
            _ = try await r.send(client, .get, "/api/v1/sessions/\(patched.id)/patch")
            _ = try await r.send(client, .get, "/api/v1/events?after=0&limit=5")
            _ = try await r.send(client, .get, "/api/v1/events?limit=0")
            _ = try await r.send(
                client, .post, "/api/v1/assign",
                json: assign.replacingOccurrences(of: "}", with: #", "dry_run": true}"#))
            let queued = try await r.send(client, .post, "/api/v1/assign", json: assign)
            _ = try await r.send(client, .post, "/api/v1/assign", json: assign)
            _ = try await r.send(
                client, .post, "/api/v1/assign", json: #"{"repository": "acme/webapp", "agent": "x", "oops": 1}"#,
                valid: false)
            let id = try #require(((try queued.json()["results"] as? [[String: Any]])?.first)?["session"] as? Int)
            _ = try await r.send(
                client, .post, "/api/v1/sessions/\(id)/steer", json: #"{"message": "Also add a test"}"#)
            _ = try await r.send(client, .post, "/api/v1/sessions/\(id)/steer", json: #"{"text": "x"}"#, valid: false)
            _ = try await r.send(client, .post, "/api/v1/sessions/999999/steer", json: #"{"message": "x"}"#)
            _ = try await r.send(client, .post, "/api/v1/sessions/\(completed.id)/steer", json: #"{"message": "x"}"#)
            _ = try await r.send(client, .post, "/api/v1/sessions/\(id)/cancel", json: #"{"as": "alice"}"#)
            _ = try await r.send(client, .post, "/api/v1/sessions/\(id)/cancel")
            _ = try await r.send(client, .post, "/api/v1/sessions/999999/cancel")
            _ = try await r.send(
                client, .post, "/api/v1/sessions/\(completed.id)/follow-up",
                json: #"{"message": "Rename it", "as": "alice"}"#)
            _ = try await r.send(
                client, .post, "/api/v1/sessions/\(completed.id)/follow-up",
                json: #"{"message": "Again", "as": "alice"}"#)
            _ = try await r.send(client, .post, "/api/v1/sessions/999999/follow-up", json: #"{"message": "x"}"#)
            _ = try await r.send(client, .get, "/api/v1/usage")
            _ = try await r.send(client, .get, "/api/v1/usage?by=org,model,day&period=month")
            _ = try await r.send(client, .get, "/api/v1/usage?period=fortnight")
            _ = try await r.send(client, .get, "/api/v1/usage?org=nobody")
            _ = try await r.send(client, .get, "/api/v1/budget")
            _ = try await r.send(client, .get, "/api/v1/budget?org=acme")
            _ = try await r.send(client, .get, "/api/v1/agents")
            _ = try await r.send(client, .get, "/api/v1/policies")
            _ = try await r.send(client, .get, "/api/v1/policies?org=nobody")
        }
        let guarded = try await ServedWorkspace(token: "conformance-token", shared: true)
        try await guarded.test { client in
            _ = try await recorder.send(client, .get, "/api/v1/sessions")
            _ = try await recorder.send(
                client, .post, "/api/v1/sessions/1/steer", json: #"{"message": "x"}"#,
                headers: [.origin: "http://evil.example", .cookie: "agentsched_session=forged"])
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appendingPathComponent("openapi.json")
        let records = folder.appendingPathComponent("records.json")
        let openapi = try await served.test { client in try await client.get("/api/v1/openapi.json").text }
        try openapi.write(to: document, atomically: true, encoding: .utf8)
        try JSONEncoder().encode(recorder.all).write(to: records)
        let script = MCPPeer.packageRoot.appendingPathComponent("Tests/Fixtures/openapi/check_answers.py").path
        let outcome = try await TestProcess.run(
            [python, script, document.path, records.path], in: folder,
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path])
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
    }
}
