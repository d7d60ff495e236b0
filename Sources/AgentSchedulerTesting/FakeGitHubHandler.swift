import FlyingFox
import Foundation

/// Answers every request of a fake GitHub server: parses it, lets the store decide under its lock,
/// then sends the answer (or hangs, or drops the connection).
struct FakeGitHubHandler: HTTPHandler {
    let state: FakeGitHubState
    let prefix: String
    let linkBase: @Sendable () -> String

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = try await request.bodyData
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            let lowered = name.rawValue.lowercased()
            headers[lowered] = headers[lowered].map { "\($0), \(value)" } ?? value
        }
        let query = request.query.map { "\($0.name)=\(FakeGitHubStore.percentEncoded($0.value))" }
        guard request.path == prefix || request.path.hasPrefix(prefix + "/") else {
            return Self.response(.notFound)
        }
        let path = String(request.path.dropFirst(prefix.count))
        let call = FakeGitHubCall(
            method: request.method.rawValue, path: path.isEmpty ? "/" : path,
            query: Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
            target: path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), headers: headers, body: body)
        let base = linkBase()
        let answer = state.withLock { $0.answer(call, now: Date(), linkBase: base) }
        switch answer.kind {
        case .hang:
            while true { try await Task.sleep(for: .seconds(3600)) }
        case .drop:
            return ConnectionDropper.response
        case .json, .notModified:
            return Self.response(answer)
        }
    }

    static func response(_ answer: FakeGitHubAnswer) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers[HTTPHeader(name)] = value }
        headers[.connection] = "close"
        headers[HTTPHeader("x-github-api-version-selected")] = "2022-11-28"
        switch answer.kind {
        case .json(let status, let body):
            headers[.contentType] = "application/json; charset=utf-8"
            return HTTPResponse(
                statusCode: Self.status(status), headers: headers, body: ClosingBody.complete(body.encodedText))
        default:
            return HTTPResponse(statusCode: Self.status(304), headers: headers, body: Data())
        }
    }

    static func status(_ code: Int) -> HTTPStatusCode {
        let phrases = [
            200: "OK", 201: "Created", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 415: "Unsupported Media Type", 422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
        ]
        return HTTPStatusCode(code, phrase: phrases[code] ?? "Error")
    }
}
