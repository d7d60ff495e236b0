import FlyingFox

/// Makes the server close a connection without writing a single byte.
///
/// FlyingFox asks a WebSocket handler for its frames before it writes the response head; failing there makes it
/// drop the connection with nothing sent, which is what a crashed or reset upstream looks like to a client.
struct ConnectionDropper: WSHandler {
    struct Dropped: Error {}

    /// A response that, when sent, closes the connection instead.
    static var response: HTTPResponse {
        HTTPResponse(webSocket: ConnectionDropper())
    }

    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        throw Dropped()
    }
}
