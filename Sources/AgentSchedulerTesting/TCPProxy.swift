import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP proxy on 127.0.0.1 in front of one server, which a test can cut off and restore: what a
/// network that loses a database looks like to the process whose URL points at the proxy.
///
/// Every accepted connection gets its own connection to the target, and bytes are copied both ways
/// as they come. ``cut()`` shuts every open connection down (both sides see the peer close, as when a
/// link or the server goes away mid-statement) and, until ``restore()``, closes each new connection
/// as soon as it is accepted, before a byte passes, so a client cannot reach the target at all.
/// The proxy's own threads block in `accept` and `recv`; nothing runs on the caller's tasks.
/// Stop it with ``stop()`` (``withProxy(to:port:_:)`` does).
public final class TCPProxy: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: UInt16
    public let targetHost: String
    public let targetPort: UInt16

    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var isCut = false
        var isStopped = false
        /// Both sockets of every open connection: the client's and the target's.
        var open: [Int32: Int32] = [:]
        var accepted = 0
        var refused = 0
    }

    /// Listens on 127.0.0.1 at a port the system chooses and forwards to `targetHost:targetPort`
    /// (an IPv4 address).
    public init(to targetHost: String, port targetPort: UInt16) throws {
        self.targetHost = targetHost
        self.targetPort = targetPort
        let socket = Self.makeSocket()
        guard socket >= 0 else { throw TCPProxyError("socket: \(Self.lastError)") }
        var yes: Int32 = 1
        _ = setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.address("127.0.0.1", port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socket, 64) == 0 else {
            let error = Self.lastError
            close(socket)
            throw TCPProxyError("cannot listen on 127.0.0.1: \(error)")
        }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        listener = socket
        port = UInt16(bigEndian: local.sin_port)
        let proxy = self
        Thread.detachNewThread { proxy.acceptLoop() }
    }

    /// Starts a proxy in front of `host:port`, runs `body` with it, and stops it whether `body`
    /// returns or throws.
    public static func withProxy<T>(
        to host: String, port: UInt16, _ body: (TCPProxy) async throws -> T
    ) async throws -> T {
        let proxy = try TCPProxy(to: host, port: port)
        defer { proxy.stop() }
        return try await body(proxy)
    }

    /// Closes every open connection and refuses new ones until ``restore()``.
    public func cut() {
        state.withLock { state in
            state.isCut = true
            Self.shutDown(state.open)
        }
    }

    /// Forwards new connections again.
    public func restore() {
        state.withLock { $0.isCut = false }
    }

    /// Stops listening and closes every connection.
    public func stop() {
        state.withLock { state in
            state.isStopped = true
            Self.shutDown(state.open)
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Shuts both sockets of every connection down, under the lock: a socket is closed only after
    /// it left `open` (under the same lock), so its number cannot have been reused meanwhile.
    private static func shutDown(_ open: [Int32: Int32]) {
        for (client, target) in open {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(target, Int32(SHUT_RDWR))
        }
    }

    /// Connections forwarded so far.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }
    /// Connections closed at once because the proxy was cut.
    public var refusedConnections: Int { state.withLock { $0.refused } }
    /// Connections open now.
    public var openConnections: Int { state.withLock { $0.open.count } }

    // MARK: Threads

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let verdict = state.withLock { state -> Bool? in
                if state.isStopped { return nil }
                if state.isCut {
                    state.refused += 1
                    return false
                }
                return true
            }
            guard let forward = verdict else {
                close(client)
                return
            }
            guard forward, let target = connectToTarget() else {
                close(client)
                continue
            }
            let registered = state.withLock { state -> Bool in
                // A cut or stop that came while connecting must not miss this connection.
                guard !state.isCut, !state.isStopped else { return false }
                state.open[client] = target
                state.accepted += 1
                return true
            }
            guard registered else {
                close(client)
                close(target)
                continue
            }
            let pair = Pair(client: client, target: target)
            let proxy = self
            Thread.detachNewThread { proxy.pump(from: client, to: target, pair: pair) }
            Thread.detachNewThread { proxy.pump(from: target, to: client, pair: pair) }
        }
    }

    /// Copies bytes from `source` to `destination` until either side ends; the second direction to
    /// end closes both sockets.
    private func pump(from source: Int32, to destination: Int32, pair: Pair) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        copying: while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break copying }
                sent += written
            }
        }
        // Either side ending ends the connection, as a broken link does.
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        if pair.finishOne() {
            state.withLock { _ = $0.open.removeValue(forKey: pair.client) }
            close(pair.client)
            close(pair.target)
        }
    }

    private func connectToTarget() -> Int32? {
        let socket = Self.makeSocket()
        guard socket >= 0 else { return nil }
        var address = Self.address(targetHost, port: targetPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return nil
        }
        return socket
    }

    private static func makeSocket() -> Int32 {
        #if canImport(Glibc)
            socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            socket(AF_INET, SOCK_STREAM, 0)
        #endif
    }

    private static func address(_ host: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    /// The two sockets of one forwarded connection, closed once both directions ended.
    private final class Pair: Sendable {
        let client: Int32
        let target: Int32
        private let finished = Mutex(0)

        init(client: Int32, target: Int32) {
            self.client = client
            self.target = target
        }

        /// Counts one direction as ended; `true` for the second.
        func finishOne() -> Bool {
            finished.withLock { count in
                count += 1
                return count == 2
            }
        }
    }
}
