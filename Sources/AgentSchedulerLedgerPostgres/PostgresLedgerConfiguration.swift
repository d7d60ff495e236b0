import Foundation
import PostgresNIO

/// Where the PostgreSQL ledger lives, parsed from `postgres://user[:password]@host[:port]/db?sslmode=…`.
///
/// The password comes from the URL, or else from `PGPASSWORD` in the environment the caller passes.
/// `description` never shows the password, and neither does a parse error: both may be logged.
public struct PostgresLedgerConfiguration: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// libpq's `sslmode`, as far as postgres-nio can honour it.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without certificate checks (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked (libpq's `require`).
        case require
        /// TLS with the certificate checked against the trusted roots, but not the host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    public init(
        user: String, password: String?, host: String, port: Int = 5432, database: String,
        sslMode: SSLMode = .prefer
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// Parses a `postgres://` or `postgresql://` URL; `environment` supplies `PGPASSWORD` when the
    /// URL carries no password.
    ///
    /// Throws `PostgresURLError`, whose text never repeats the URL (it may hold a password).
    public init(url text: String, environment: [String: String]) throws(PostgresURLError) {
        guard let components = URLComponents(string: text) else {
            throw PostgresURLError("it is not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("its scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host.map(Self.unbracketed), !host.isEmpty else {
            throw PostgresURLError("it names no host")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty
        else {
            throw PostgresURLError("it names no user (postgres://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError("its port must be between 1 and 65535") }
        var database = components.percentEncodedPath
        if database.hasPrefix("/") { database.removeFirst() }
        guard !database.contains("/"), let decoded = database.removingPercentEncoding else {
            throw PostgresURLError("its path must be one database name")
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresURLError("it has the parameter '\(item.name)'; only sslmode is understood")
            }
            guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                throw PostgresURLError(
                    "its sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = mode
        }
        let password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.init(
            user: user, password: password, host: host, port: port, database: decoded.isEmpty ? user : decoded,
            sslMode: sslMode)
    }

    /// `postgres://user@host:port/db?sslmode=…`: the URL without its password.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    public var debugDescription: String { description }

    /// What `dump` and debuggers show: the parts, the password masked.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "user": user, "password": password == nil ? "none" : "••••••", "host": host, "port": port,
                "database": database, "sslMode": sslMode,
            ], displayStyle: .struct)
    }

    /// postgres-nio's configuration of a client for this database.
    public var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// The TLS mode `sslMode` asks for.
    var tls: PostgresClient.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(unchecked)
        case .require: return .require(unchecked)
        case .verifyCA:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}

/// Why a PostgreSQL URL was refused, in one line that never contains the URL or its password.
public struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "the PostgreSQL URL cannot be used: \(reason)" }
}
