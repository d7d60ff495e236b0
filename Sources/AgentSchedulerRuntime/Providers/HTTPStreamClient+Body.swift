import AsyncHTTPClient
import Foundation
import NIOCore

extension HTTPStreamClient {
    /// A limit of the client that a response passed on its way in.
    enum LimitExceeded: Error, Sendable, Hashable {
        /// The body grew past `bodyLimit` bytes.
        case bodySize(limit: Int)
        /// The exchange took longer than `totalTimeout`.
        case totalTime(Duration)
    }

    /// A response body as it arrives, in chunks of any size; it can be iterated once.
    ///
    /// Throws `LimitExceeded` once the body passes the client's `bodyLimit` or its exchange outlasts
    /// `totalTimeout` (checked as chunks arrive, so a silent server is caught by the idle timeout
    /// instead), `CancellationError` when the iterating task is cancelled, and AsyncHTTPClient's and
    /// NIO's errors when the connection fails. Dropping it before the end abandons the response and
    /// closes its connection.
    struct Body: AsyncSequence, Sendable {
        typealias Element = Data

        private let base: HTTPClientResponse.Body
        private let limit: Int
        private let deadline: NIODeadline
        private let totalTimeout: Duration

        init(_ base: HTTPClientResponse.Body, limit: Int, deadline: NIODeadline, totalTimeout: Duration) {
            self.base = base
            self.limit = limit
            self.deadline = deadline
            self.totalTimeout = totalTimeout
        }

        func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(
                base: base.makeAsyncIterator(), limit: limit, deadline: deadline, totalTimeout: totalTimeout)
        }

        struct AsyncIterator: AsyncIteratorProtocol {
            var base: HTTPClientResponse.Body.AsyncIterator
            let limit: Int
            let deadline: NIODeadline
            let totalTimeout: Duration
            var received = 0

            mutating func next() async throws -> Data? {
                guard let buffer = try await base.next() else { return nil }
                received += buffer.readableBytes
                if received > limit { throw LimitExceeded.bodySize(limit: limit) }
                if NIODeadline.now() > deadline { throw LimitExceeded.totalTime(totalTimeout) }
                return Data(buffer.readableBytesView)
            }
        }
    }
}
