import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bare HTTP/1.1 client over a blocking socket that reads until the server closes the connection, as the
/// simplest real clients do; used to check that the fake server closes every connection after its answer.
enum RawHTTPClient {
    struct Failure: Error {
        var step: String
    }

    /// Sends `request` (complete HTTP/1.1 text) to 127.0.0.1:`port` and returns all bytes received before the
    /// server closed the connection. Fails if the server keeps it open for more than a minute.
    ///
    /// The socket calls block, so they run on a dispatch queue: blocking a cooperative thread could starve
    /// the server under test, which runs on the same thread pool.
    static func exchange(_ request: String, port: UInt16) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingExchange(request, port: port) })
            }
        }
    }

    private static func blockingExchange(_ request: String, port: UInt16) throws -> String {
        #if canImport(Glibc)
            let file = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let file = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard file >= 0 else { throw Failure(step: "socket") }
        defer { close(file) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(file, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(file, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(step: "connect") }
        let bytes = Array(request.utf8)
        guard write(file, bytes, bytes.count) == bytes.count else { throw Failure(step: "write") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(file, &buffer, buffer.count)
            if count == 0 { break }
            guard count > 0 else { throw Failure(step: "read: the server kept the connection open") }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
