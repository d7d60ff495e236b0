import FlyingFox
import FlyingSocks

/// A chunked response body that never ends: `piece` again and again, one every `interval`, until
/// the client closes the connection. It keeps a connection busy without ever finishing an answer.
struct DripBody: AsyncBufferedSequence {
    typealias Element = UInt8

    let piece: [UInt8]
    let interval: Duration

    /// A chunked body of `piece` every `interval`, forever.
    static func body(_ piece: String, every interval: Duration) -> HTTPBodySequence {
        HTTPBodySequence(from: DripBody(piece: Array(piece.utf8), interval: interval), suggestedBufferSize: 64)
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(piece: piece, interval: interval)
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let piece: [UInt8]
        let interval: Duration
        var started = false

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            if started { try await Task.sleep(for: interval) }
            started = true
            return piece[...]
        }
    }
}
