import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The token `serve` requires, and the checks built on it.
public struct ServerAccess: Sendable {
    /// `nil` on a loopback bind without `--token-env`.
    public var token: String?

    public init(token: String?) {
        self.token = token
    }

    static let cookieName = "agentsched_session"

    /// The login cookie's value: HMAC-SHA256 of a fixed label under the token, in hex, so the
    /// cookie proves the token without being it (a leaked cookie is not a leaked token).
    var sessionCookie: String? {
        token.map { token in
            let key = SymmetricKey(data: Data(token.utf8))
            let code = HMAC<SHA256>.authenticationCode(for: Data("agentsched serve session".utf8), using: key)
            return code.hex
        }
    }

    func isSessionCookie(_ value: String) -> Bool {
        guard let expected = sessionCookie else { return false }
        return Self.same(value, expected)
    }

    /// Constant-time comparison of two secrets (their lengths aside).
    static func same(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// The token of an `Authorization: Bearer TOKEN` header.
    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// Whether a bind address is loopback: `127.0.0.0/8`, `::1` or `localhost`.
    public static func isLoopback(address: String) -> Bool {
        let host = address.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether a `Host` header (`name[:port]`) names a loopback host.
    static func isLoopback(hostHeader: String) -> Bool {
        isLoopback(address: hostName(hostHeader))
    }

    /// The name of `Host: name[:port]`, brackets of an IPv6 literal kept off.
    static func hostName(_ header: String) -> String {
        if header.hasPrefix("["), let end = header.firstIndex(of: "]") {
            return String(header[header.index(after: header.startIndex)..<end])
        }
        return header.split(separator: ":", maxSplits: 1).first.map(String.init) ?? header
    }

    /// A browser's request from this server's own pages, or no browser's at all.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        if let site = request.headers[.secFetchSite] {
            return site == "same-origin" || site == "none"
        }
        return true
    }
}
