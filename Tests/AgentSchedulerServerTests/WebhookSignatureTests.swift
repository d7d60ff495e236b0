import AgentSchedulerServer
import Foundation
import Testing

@Suite("Webhook signatures: X-Hub-Signature-256 over the raw body")
struct WebhookSignatureTests {
    /// GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
    static let secret = "It's a Secret to Everybody"
    static let body = Data("Hello, World!".utf8)
    static let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

    @Test("GitHub's documented example verifies, and signing reproduces it")
    func documentedExample() throws {
        let verifier = try #require(WebhookSignature(secret: Self.secret))
        #expect(verifier.sign(Self.body) == Self.signature)
        #expect(verifier.isValid(Self.signature, body: Self.body))
    }

    @Test(
        "anything but the body's own signature under the secret is invalid",
        arguments: [
            (
                "upper-case hex is still the same digest",
                Self.signature.uppercased().replacing("SHA256=", with: "sha256="),
                Self.body, Self.secret, true
            ),
            ("missing header", nil, Self.body, Self.secret, false),
            ("wrong secret", Self.signature, Self.body, "another secret", false),
            ("body tampered", Self.signature, Data("Hello, World?".utf8), Self.secret, false),
            ("body with a trailing newline", Self.signature, Data("Hello, World!\n".utf8), Self.secret, false),
            ("no sha256= prefix", String(Self.signature.dropFirst(7)), Self.body, Self.secret, false),
            ("the SHA-1 header's form", "sha1=" + String(Self.signature.dropFirst(7)), Self.body, Self.secret, false),
            ("upper-case prefix", "SHA256=" + String(Self.signature.dropFirst(7)), Self.body, Self.secret, false),
            ("one digit short", String(Self.signature.dropLast()), Self.body, Self.secret, false),
            ("one digit too many", Self.signature + "0", Self.body, Self.secret, false),
            ("not hex", String(Self.signature.dropLast()) + "g", Self.body, Self.secret, false),
            ("surrounded by spaces", " \(Self.signature) ", Self.body, Self.secret, false),
            ("empty", "", Self.body, Self.secret, false),
            ("just the prefix", "sha256=", Self.body, Self.secret, false),
        ] as [(String, String?, Data, String, Bool)])
    func verification(_ name: String, header: String?, body: Data, secret: String, valid: Bool) throws {
        let verifier = try #require(WebhookSignature(secret: secret))
        #expect(verifier.isValid(header, body: body) == valid, "\(name)")
    }

    @Test("an empty secret verifies nothing, and the secret is never in the description")
    func secretHandling() throws {
        #expect(WebhookSignature(secret: "") == nil)
        let verifier = try #require(WebhookSignature(secret: Self.secret))
        #expect(!"\(verifier)".contains("Secret"))
        #expect(!String(reflecting: verifier).contains("Everybody"))
        var dumped = ""
        dump(verifier, to: &dumped)
        #expect(!dumped.contains("73"), "\(dumped)")  // no byte of it ("I" is 73)
        #expect(verifier.redacting("key: \(Self.secret).") == "key: [redacted].")
    }
}
