import FlyingFox
import Foundation

/// The handler of `GitHTTPServer`: checks the token, then runs `git http-backend` as CGI.
struct GitHTTPBackend: HTTPHandler {
    let root: URL
    let token: String
    let record: @Sendable (GitHTTPServer.Request) -> Void

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let target = request.query.isEmpty ? request.path : request.path + "?" + Self.queryString(request)
        guard authorised(request.headers[HTTPHeader("Authorization")]) else {
            record(.init(method: request.method.rawValue, target: target, authorised: false, status: 401))
            return HTTPResponse(
                statusCode: .unauthorized,
                headers: [HTTPHeader("WWW-Authenticate"): "Basic realm=\"GitHub\"", .connection: "close"],
                body: Data("Authentication failed\n".utf8))
        }
        var body = try await request.bodyData
        if request.headers[HTTPHeader("Content-Encoding")]?.lowercased() == "gzip" {
            body = try await TestProcess.run(["gzip", "-dc"], in: root, input: body).outputData
        }
        var environment = [
            "GIT_PROJECT_ROOT": root.path, "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": request.path,
            "QUERY_STRING": Self.queryString(request), "REQUEST_METHOD": request.method.rawValue,
            "CONTENT_TYPE": request.headers[.contentType] ?? "", "CONTENT_LENGTH": "\(body.count)",
            "REMOTE_USER": "agent", "REMOTE_ADDR": "127.0.0.1",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        ]
        if let protocolHeader = request.headers[HTTPHeader("Git-Protocol")] {
            environment["GIT_PROTOCOL"] = protocolHeader
        }
        let output = try await TestProcess.run(
            ["git", "http-backend"], in: root, environment: environment, input: body
        ).outputData
        let response = Self.cgiResponse(output)
        record(
            .init(method: request.method.rawValue, target: target, authorised: true, status: response.statusCode.code))
        return response
    }

    /// Whether the header carries the token: Basic with any user, or Bearer.
    func authorised(_ header: String?) -> Bool {
        guard let header else { return false }
        if header.hasPrefix("Bearer ") { return header.dropFirst(7) == token }
        guard header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))) else {
            return false
        }
        let pair = String(decoding: data, as: UTF8.self)
        guard let colon = pair.firstIndex(of: ":") else { return false }
        return pair[pair.index(after: colon)...] == token
    }

    static func queryString(_ request: HTTPRequest) -> String {
        request.query.map { item in
            let value = item.value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? item.value
            return "\(item.name)=\(value)"
        }.joined(separator: "&")
    }

    /// A CGI answer: headers (with `Status:`), a blank line, the body.
    static func cgiResponse(_ output: Data) -> HTTPResponse {
        let separator = output.range(of: Data("\r\n\r\n".utf8)) ?? output.range(of: Data("\n\n".utf8))
        guard let separator else { return HTTPResponse(statusCode: .internalServerError) }
        let head = String(decoding: output[..<separator.lowerBound], as: UTF8.self)
        var status = HTTPStatusCode.ok
        var headers: [HTTPHeader: String] = [.connection: "close"]
        for line in head.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "status", let code = Int(value.prefix(3)) {
                status = HTTPStatusCode(code, phrase: String(value.dropFirst(4)))
            } else {
                headers[HTTPHeader(name)] = value
            }
        }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(output[separator.upperBound...]))
    }
}
