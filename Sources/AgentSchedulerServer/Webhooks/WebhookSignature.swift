import AgentSchedulerCore
import Crypto
import Foundation

/// Checks GitHub's `X-Hub-Signature-256` header: `sha256=` and 64 hex digits, the HMAC-SHA256 of
/// the delivery's raw body bytes keyed by the webhook secret.
///
/// The comparison is constant-time (`HMAC<SHA256>.isValidAuthenticationCode`), so an attacker learns
/// nothing from how long a wrong signature takes to refuse. A header that is missing, lacks the
/// prefix, or is not exactly 64 hex digits is invalid. Verify the bytes exactly as they arrived:
/// re-encoded JSON signs differently. The secret never appears in this value's description or mirror.
public struct WebhookSignature: Sendable, CustomStringConvertible, CustomReflectable {
    /// The header GitHub signs deliveries in.
    public static let header = "X-Hub-Signature-256"
    private static let prefix = "sha256="

    /// The secret's bytes (`SymmetricKey` is not `Sendable`: one is made for each use).
    private let secret: [UInt8]

    /// A verifier for `secret` (the text of the variable `github.webhook-secret-env` names), or
    /// `nil` when it is empty: an empty key would accept signatures anyone can compute.
    public init?(secret: String) {
        guard !secret.isEmpty else { return nil }
        self.secret = Array(secret.utf8)
    }

    /// Whether `header` is a valid signature of `body`.
    public func isValid(_ header: String?, body: some DataProtocol) -> Bool {
        guard let header, let digest = Self.digest(in: header) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(digest, authenticating: body, using: SymmetricKey(data: secret))
    }

    /// The header value that signs `body`: what GitHub sends, and what tests sign with.
    public func sign(_ body: some DataProtocol) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return Self.prefix + code.hex
    }

    public var description: String { "WebhookSignature(secret: \(Redactor.marker))" }

    /// No children: `dump` and debuggers do not show the secret's bytes either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// `text` with every occurrence of the secret replaced by `[redacted]`.
    public func redacting(_ text: String) -> String {
        text.replacingOccurrences(of: String(decoding: secret, as: UTF8.self), with: Redactor.marker)
    }

    /// The 32 bytes of `sha256=<64 hex digits>` (either case), or `nil` when malformed.
    static func digest(in header: String) -> [UInt8]? {
        let utf8 = Array(header.utf8)
        let prefix = Array(Self.prefix.utf8)
        guard utf8.count == prefix.count + 64, utf8.starts(with: prefix) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = prefix.count
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
