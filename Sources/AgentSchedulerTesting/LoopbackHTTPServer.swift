import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// The lifecycle every test server here shares: a FlyingFox server on 127.0.0.1 (or another
/// address of this machine the test made), on a port the system chooses, started and stopped
/// around a body.
///
/// Waiting for the listening socket allows a minute, not FlyingFox's five seconds: a machine
/// running hundreds of tests at once can take that long to schedule the server's task.
final class LoopbackHTTPServer: Sendable {
    /// The port once the server listens, readable by the handler (for `Link` headers) before then.
    final class Port: Sendable {
        private let value = Mutex<UInt16?>(nil)

        /// The port, or `nil` before the server listens.
        var current: UInt16? { value.withLock { $0 } }

        fileprivate func set(_ port: UInt16) { value.withLock { $0 = port } }
    }

    /// The port, shared with the handler.
    let port: Port
    private let http: HTTPServer

    /// A server whose handler `makeHandler` builds, given the port it will know once listening.
    /// `timeout` is how long one request may take before FlyingFox gives up on it.
    init(host: String = "127.0.0.1", timeout: TimeInterval, makeHandler: (Port) -> some HTTPHandler) {
        let port = Port()
        self.port = port
        let address = try! sockaddr_in.inet(ip4: host, port: 0)
        http = HTTPServer(
            config: HTTPServer.Configuration(address: address, timeout: timeout, logger: .disabled),
            handler: makeHandler(port))
    }

    /// Listens and serves until ``stop()`` is called or the task is cancelled.
    func run() async throws {
        try await http.run()
    }

    /// Waits until the server listens (at most a minute) and learns its port.
    func waitUntilListening() async throws {
        try await http.waitUntilListening(timeout: 60)
        if case .ip4(_, let listening) = await http.listeningAddress {
            port.set(listening)
        }
    }

    /// Stops listening, closes every connection and releases hanging requests.
    func stop() async {
        await http.stop(timeout: 0)
    }

    /// Runs the server, waits until it listens, runs `body`, and stops the server whether `body`
    /// returns or throws.
    func serving<T>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            do {
                try await waitUntilListening()
                let result = try await body()
                await stop()
                group.cancelAll()
                return result
            } catch {
                await stop()
                group.cancelAll()
                throw error
            }
        }
    }
}
