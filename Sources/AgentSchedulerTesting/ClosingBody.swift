import FlyingFox
import FlyingSocks

/// A response body with a `Content-Length`, after which the server closes the connection.
///
/// FlyingFox keeps a connection open whenever the request allows it; it closes a connection only when sending a
/// response fails. This body fails once its bytes are written, so the connection closes right after a complete
/// response (matching the `Connection: close` every answer carries) or, for a truncated body whose declared
/// length is longer than its bytes, part-way through.
struct ClosingBody: AsyncBufferedSequence {
    typealias Element = UInt8

    /// The error that makes FlyingFox close the connection.
    struct Closed: Error {}

    let bytes: [UInt8]

    /// A complete body of `text`.
    static func complete(_ text: String) -> HTTPBodySequence {
        let bytes = Array(text.utf8)
        return HTTPBodySequence(from: ClosingBody(bytes: bytes), count: bytes.count)
    }

    /// The first half of `text`, announced with the length of all of it.
    static func truncated(_ text: String) -> HTTPBodySequence {
        let bytes = Array(text.utf8)
        return HTTPBodySequence(from: ClosingBody(bytes: Array(bytes.prefix(bytes.count / 2))), count: bytes.count)
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(bytes: bytes)
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let bytes: [UInt8]
        var offset = 0

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            guard offset < bytes.count else { throw Closed() }
            let end = Swift.min(bytes.count, offset + Swift.max(count, 1))
            defer { offset = end }
            return bytes[offset..<end]
        }
    }
}
