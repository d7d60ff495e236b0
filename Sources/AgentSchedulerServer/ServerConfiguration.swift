import Foundation

/// Where `agentsched serve` listens and who may use it.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The bearer token every request needs; `nil` only on a loopback address.
    public var token: String?

    public init(host: String = "127.0.0.1", port: Int = 8420, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }
}
