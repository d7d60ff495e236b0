import AgentSchedulerServer
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("POST /github/webhook as served: the signature, not the token, lets a delivery in")
struct WebhookRouteTests {
    static let secret = "route-webhook-secret"

    static func signature(_ body: String, secret: String = Self.secret) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    static func deliver(
        _ client: any TestClientProtocol, _ body: String, signature: String?, id: String = UUID().uuidString
    ) async throws -> TestResponse {
        var headers: HTTPFields = [
            .contentType: "application/json", HTTPField.Name("X-GitHub-Event")!: "ping",
            HTTPField.Name("X-GitHub-Delivery")!: id,
        ]
        if let signature { headers[HTTPField.Name("X-Hub-Signature-256")!] = signature }
        return try await client.execute(
            uri: "/github/webhook", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a signed ping is a pong on a token server without the token; unsigned or badly signed is 401")
    func signedOnly() async throws {
        let served = try await ServedWorkspace(
            token: "route-token", environment: ["AGENTSCHED_WEBHOOK_SECRET": Self.secret],
            configuration: "github:\n  webhook-secret-env: AGENTSCHED_WEBHOOK_SECRET")
        let body = #"{"zen": "Keep it logically awesome.", "hook_id": 1}"#
        try await served.test { client in
            let pong = try await Self.deliver(client, body, signature: Self.signature(body))
            #expect(pong.status == .ok, "\(pong.text)")
            #expect(pong.text.contains("pong"))
            let unsigned = try await Self.deliver(client, body, signature: nil)
            #expect(unsigned.status == .unauthorized)
            let forged = try await Self.deliver(client, body, signature: Self.signature(body, secret: "guess"))
            #expect(forged.status == .unauthorized)
            let replay = try await Self.deliver(client, body, signature: Self.signature(body))
            #expect(replay.status == .conflict)
        }
    }
}
