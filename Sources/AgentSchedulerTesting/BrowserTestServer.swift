import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A small web site on 127.0.0.1 for browser tests: fixed pages, form posts it records, and a
/// Server-Sent Events stream the test writes to.
///
/// - `GET PATH` answers the ``Page`` registered for `PATH` (its content type and extra headers,
///   e.g. a `Content-Security-Policy`), or `404`.
/// - `POST PATH` records the body (``posts``) and answers `303 See Other` to `GET PATH`, as a
///   form handler following Post/Redirect/Get does.
/// - `GET /events` is an `text/event-stream` that stays open: ``sendEvent(_:)`` writes one
///   `data:` message to every open stream; ``eventListeners`` says how many are open.
public final class BrowserTestServer: Sendable {
    /// One page the server answers with.
    public struct Page: Sendable {
        public var contentType: String
        public var body: String
        /// Extra response headers, e.g. `["Content-Security-Policy": "script-src 'self'"]`.
        public var headers: [String: String]

        public init(contentType: String = "text/html; charset=utf-8", body: String, headers: [String: String] = [:]) {
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }

        /// An HTML page.
        public static func html(_ body: String, headers: [String: String] = [:]) -> Page {
            Page(body: body, headers: headers)
        }

        /// A JavaScript file.
        public static func script(_ body: String) -> Page {
            Page(contentType: "text/javascript; charset=utf-8", body: body)
        }
    }

    /// One `POST` the server received.
    public struct Post: Sendable, Hashable {
        public var path: String
        public var contentType: String?
        /// The body as text (`application/x-www-form-urlencoded` for a plain form).
        public var body: String
    }

    private let server: LoopbackHTTPServer
    private let state: State

    /// What the handler shares with the test.
    final class State: Sendable {
        let posts = Mutex<[Post]>([])
        let streams = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])

        /// A new event stream, starting with a comment so that the browser sees it open at once.
        func subscribe() -> AsyncStream<String> {
            let (stream, continuation) = AsyncStream<String>.makeStream()
            let key = UUID()
            continuation.onTermination = { [weak self] _ in _ = self?.streams.withLock { $0.removeValue(forKey: key) } }
            continuation.yield(": open\n\n")
            streams.withLock { $0[key] = continuation }
            return stream
        }

        func finishAll() {
            for continuation in streams.withLock({ $0.values }) { continuation.finish() }
        }
    }

    /// A server for `pages`, keyed by path (`/`, `/app.js`).
    public init(pages: [String: Page]) {
        let state = State()
        self.state = state
        server = LoopbackHTTPServer(timeout: 120) { _ in Handler(pages: pages, state: state) }
    }

    /// Runs `body` with the server listening, then ends the event streams and stops it.
    public static func withServer<T>(
        pages: [String: Page], _ body: (BrowserTestServer) async throws -> T
    )
        async throws -> T
    {
        let site = BrowserTestServer(pages: pages)
        return try await site.server.serving {
            do {
                let result = try await body(site)
                site.state.finishAll()
                return result
            } catch {
                site.state.finishAll()
                throw error
            }
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String = "/") -> String {
        guard let port = server.port.current else {
            preconditionFailure("BrowserTestServer: ask for URLs inside withServer")
        }
        return "http://127.0.0.1:\(port)\(path)"
    }

    /// Every `POST` so far, in order.
    public var posts: [Post] { state.posts.withLock { $0 } }

    /// How many `/events` streams are open now.
    public var eventListeners: Int { state.streams.withLock { $0.count } }

    /// Sends `data` (one line) as an SSE message to every open `/events` stream.
    public func sendEvent(_ data: String) {
        for continuation in state.streams.withLock({ $0.values }) { continuation.yield("data: \(data)\n\n") }
    }

    private struct Handler: HTTPHandler {
        let pages: [String: Page]
        let state: State

        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            if request.method == .POST {
                let body = String(decoding: try await request.bodyData, as: UTF8.self)
                state.posts.withLock {
                    $0.append(Post(path: request.path, contentType: request.headers[.contentType], body: body))
                }
                return HTTPResponse(statusCode: .seeOther, headers: [.location: request.path])
            }
            if request.method == .GET, request.path == "/events" {
                return HTTPResponse(
                    statusCode: .ok,
                    headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                    body: HTTPBodySequence(from: EventBody(stream: state.subscribe()), suggestedBufferSize: 1024))
            }
            guard request.method == .GET, let page = pages[request.path] else {
                return HTTPResponse(statusCode: .notFound)
            }
            var headers: HTTPHeaders = [.contentType: page.contentType]
            for (name, value) in page.headers { headers[HTTPHeader(name)] = value }
            return HTTPResponse(statusCode: .ok, headers: headers, body: Data(page.body.utf8))
        }
    }

    /// An event stream's body: each text the test sends, as it is sent, until the stream ends.
    private struct EventBody: AsyncBufferedSequence {
        typealias Element = UInt8
        let stream: AsyncStream<String>

        func makeAsyncIterator() -> Iterator { Iterator(messages: stream.makeAsyncIterator()) }

        struct Iterator: AsyncBufferedIteratorProtocol {
            var messages: AsyncStream<String>.Iterator

            mutating func next() async throws -> UInt8? {
                try await nextBuffer(suggested: 1)?.first
            }

            mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
                await messages.next().map { Array($0.utf8) }
            }
        }
    }
}
