import FlyingFox
import Foundation

/// Helpers shared by the dialects.
enum Wire {
    /// The body of a malformed answer.
    static let notJSON = "{\"id\": \"fake\", \"choices\": [ <<upstream sent garbage>>"

    /// `text` in up to `count` pieces of nearly equal length; none when `text` is empty.
    static func pieces(_ text: String, count: Int = 3) -> [String] {
        guard !text.isEmpty else { return [] }
        let characters = Array(text)
        let size = max(1, (characters.count + count - 1) / count)
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }

    /// Whether complete answers keep their connection open (see `FakeModelServer.init`).
    @TaskLocal static var keepsConnectionsOpen = false

    /// A complete body: one that closes its connection afterwards, unless connections are kept open.
    static func completeBody(_ text: String) -> HTTPBodySequence {
        keepsConnectionsOpen ? HTTPBodySequence(data: Data(text.utf8)) : ClosingBody.complete(text)
    }

    /// A JSON response.
    static func json(_ status: HTTPStatusCode, _ body: FakeJSON, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return HTTPResponse(statusCode: status, headers: headers, body: completeBody(body.encodedText))
    }

    /// A server-sent event stream response.
    static func eventStream(_ events: [String], headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return HTTPResponse(statusCode: .ok, headers: headers, body: completeBody(events.joined()))
    }

    /// A status code with its usual phrase.
    static func status(_ code: Int) -> HTTPStatusCode {
        let phrases = [
            400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
            529: "Site Overloaded",
        ]
        return HTTPStatusCode(code, phrase: phrases[code] ?? "Error")
    }

    /// Headers announcing when to retry: `retry-after` in whole seconds rounded up, and `retry-after-ms`.
    static func retryHeaders(_ retryAfter: Duration?) -> HTTPHeaders {
        guard let retryAfter else { return [:] }
        let milliseconds = max(0, Int((retryAfter / .milliseconds(1)).rounded(.up)))
        var headers = HTTPHeaders()
        headers[HTTPHeader("retry-after")] = String((milliseconds + 999) / 1000)
        headers[HTTPHeader("retry-after-ms")] = String(milliseconds)
        return headers
    }
}
