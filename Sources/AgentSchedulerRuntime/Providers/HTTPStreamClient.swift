import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Sends one model's HTTP requests through AsyncHTTPClient and hands the response body over as it arrives.
///
/// Owners must call `shutdown()` once they send no more, before releasing the client: AsyncHTTPClient
/// traps in debug builds (and leaks its connections in release builds) when a running client is
/// released. `ModelClients` does this for the clients it makes. The AsyncHTTPClient client is made on
/// the first request, so a client that never sent owns nothing, and shutting it down is free.
///
/// One client serves one model, over HTTP/1.1 (TLS for `https`) on the process-wide NIO event loops:
/// it keeps up to `maxConnections` connections per host open between requests, and further exchanges
/// wait for one in arrival order, without a deadline (AsyncHTTPClient's own queue would time them
/// out after the connect timeout). (HTTP/2 would put every request on one connection, where the server's stream limit,
/// often 100, would hold concurrency below `max-connections`.) A request fails with a timeout when the
/// server sends nothing for `idleTimeout`, before the head or between body chunks, and when the whole
/// exchange takes longer than `totalTimeout`. A connection that cannot be made (nothing listens)
/// fails at once, not after the connect timeout. Bodies longer than `bodyLimit` fail. Redirects are not
/// followed: they would carry `x-api-key` and `api-key` headers to another host. Nothing is logged.
/// Cancelling the calling task cancels the request and closes its connection.
public final class HTTPStreamClient: Sendable {
    /// Status and headers (names lowercased; of repeated headers, the first).
    public struct Head: Sendable {
        public var status: Int
        public var headers: [String: String]
    }

    /// Connections kept per host, and so requests in flight per host.
    public let maxConnections: Int
    /// How long the server may send nothing before a request fails with a timeout.
    public let idleTimeout: Duration
    /// How long a whole exchange, head and body, may take: by default ten idle timeouts, at least
    /// ten minutes.
    public let totalTimeout: Duration
    /// The most body bytes one response may have.
    public let bodyLimit: Int
    /// How long making a connection may take: by default the idle timeout, at most ten seconds.
    public let connectTimeout: Duration

    private enum State {
        case idle
        case running(HTTPClient)
        case shutDown
    }

    private let configuration: HTTPClient.Configuration
    private let state = Mutex<State>(.idle)
    /// One per connection; an exchange holds one from its request to its body's end.
    let permits: RequestPermits

    public init(
        maxConnections: Int = 64, idleTimeout: Duration = .seconds(120), totalTimeout: Duration? = nil,
        connectTimeout: Duration? = nil, bodyLimit: Int = 64 << 20
    ) {
        precondition(maxConnections > 0, "HTTPStreamClient: maxConnections must be at least 1")
        precondition(idleTimeout > .zero, "HTTPStreamClient: idleTimeout must be positive")
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout ?? max(idleTimeout * 10, .seconds(600))
        self.bodyLimit = bodyLimit
        self.connectTimeout = connectTimeout ?? min(idleTimeout, .seconds(10))
        self.permits = RequestPermits(limit: maxConnections)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: Self.timeAmount(self.connectTimeout), read: Self.timeAmount(idleTimeout)),
            connectionPool: .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnections),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A refused connection fails its requests at once; `ResilientModelClient` retries with a short
        // backoff. (AsyncHTTPClient's own retry would hold them for the whole connect timeout.)
        configuration.connectionPool.retryConnectionEstablishment = false
        self.configuration = configuration
    }

    /// Sends `request`; returns once the status and headers are in, with the body still streaming.
    ///
    /// Iterate the body to its end, or drop it to abandon the response and its connection. Errors
    /// are AsyncHTTPClient's and NIO's as thrown, and `LimitExceeded`; `HTTPFailure` classifies them.
    /// Throws `CancellationError` once the client is shut down.
    func send(_ request: HTTPClientRequest) async throws -> (Head, Body) {
        let client = try running()
        var request = request
        if !request.headers.contains(name: "User-Agent") {
            request.headers.add(name: "User-Agent", value: "agentsched")
        }
        let deadline = NIODeadline.now() + Self.timeAmount(totalTimeout)
        let response = try await client.execute(request, deadline: deadline)
        var headers: [String: String] = [:]
        headers.reserveCapacity(response.headers.count)
        for (name, value) in response.headers where headers[name.lowercased()] == nil {
            headers[name.lowercased()] = value
        }
        let head = Head(status: Int(response.status.code), headers: headers)
        return (head, Body(response.body, limit: bodyLimit, deadline: deadline, totalTimeout: totalTimeout))
    }

    /// Closes every connection and stops the client; later requests throw `CancellationError`.
    ///
    /// Call it once nothing sends any more; requests still running fail. Calling it again does nothing.
    public func shutdown() async throws {
        let client = state.withLock { state -> HTTPClient? in
            defer { state = .shutDown }
            switch state {
            case .running(let client): return client
            case .idle, .shutDown: return nil
            }
        }
        try await client?.shutdown()
    }

    /// The AsyncHTTPClient client, made on first use.
    private func running() throws -> HTTPClient {
        try state.withLock { state in
            switch state {
            case .running(let client):
                return client
            case .idle:
                let client = HTTPClient(
                    eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
                state = .running(client)
                return client
            case .shutDown:
                throw CancellationError()
            }
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
