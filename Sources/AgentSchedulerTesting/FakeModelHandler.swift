import FlyingFox
import Foundation

/// Answers every request of a fake model server: finds its script key and protocol, records it, validates it,
/// waits out the latency and then plays the script's next step.
///
/// Each request is handled in its own task by FlyingFox and waits only on its own latency; the shared state is
/// touched under a lock held for microseconds, so no request waits on another.
///
/// Unless `keepsConnectionsOpen`, every answer carries `Connection: close`, so each request arrives on a fresh
/// connection. Otherwise a client that meets `.dropConnection` on a reused connection may silently resend the
/// request (curl, and so URLSession on Linux, does), consuming another step, or stall until its timeout.
struct FakeModelHandler: HTTPHandler {
    let book: ScriptBook
    let latency: Duration
    let keepsConnectionsOpen: Bool
    var flavor: FakeServerFlavor = .openAI
    /// Holds scripted answers while the test keeps it closed.
    var gate = AnswerGate()

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if keepsConnectionsOpen {
            return try await Wire.$keepsConnectionsOpen.withValue(true) { try await respond(to: request) }
        }
        var response = try await respond(to: request)
        response.headers[.connection] = "close"
        return response
    }

    private func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        let (key, rest) = Self.split(request.path)
        let body = try await request.bodyData
        let api = Self.api(for: rest)
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            let lowered = name.rawValue.lowercased()
            headers[lowered] = headers[lowered].map { "\($0), \(value)" } ?? value
        }
        let json = FakeJSON(data: body)
        let record = FakeModelRequest(
            key: key, method: request.method.rawValue, path: request.path, api: api, headers: headers, body: body,
            json: json, step: nil)
        let number = book.nextNumber()
        switch api {
        case .openAIChatCompletions where request.method == .POST:
            return try await answer(record, with: flavor.chatDialect, number: number)
        case .anthropicMessages where request.method == .POST:
            return try await answer(record, with: AnthropicMessagesDialect(), number: number)
        case .anthropicMessages:
            book.record(record)
            try await wait()
            return AnthropicMessagesDialect().failure(
                .notFound(method: request.method.rawValue, path: request.path), number: number)
        default:
            book.record(record)
            try await wait()
            return flavor.chatDialect.failure(
                .notFound(method: request.method.rawValue, path: request.path), number: number)
        }
    }

    private func answer(
        _ record: FakeModelRequest, with dialect: some ProviderDialect, number: Int
    ) async throws
        -> HTTPResponse
    {
        let body = record.json ?? .null
        if let problem = dialect.problem(in: body) {
            book.record(record)
            try await wait()
            return dialect.failure(.invalidRequest(problem), number: number)
        }
        let call = dialect.call(from: body, number: number)
        if let quirk = dialect.quirk(in: body, call: call) {
            book.record(record)
            try await wait()
            return quirk
        }
        let turn = book.takeTurn(for: record)
        try await wait()
        await gate.pass()
        switch turn {
        case .reply(let reply):
            return dialect.answer(dialect.shaped(reply, for: body), to: call)
        case .fault(.rateLimited(let retryAfter)):
            return dialect.failure(.rateLimited(retryAfter: retryAfter), number: number)
        case .fault(.serverError(let status)):
            return dialect.serverError(status, to: call)
        case .fault(.badRequest(let message)):
            return dialect.failure(.invalidRequest(message), number: number)
        case .fault(.unauthorized):
            return dialect.failure(.unauthorized, number: number)
        case .fault(.hang):
            while true {
                try await Task.sleep(for: .seconds(3600))
            }
        case .fault(.malformedJSON):
            return dialect.malformed(call)
        case .fault(.truncatedStream):
            return dialect.truncated(call)
        case .fault(.echoAuthorization(let echo)):
            return Self.echo(record.headers["authorization"] ?? "no Authorization header", in: echo, number: number)
        case .fault(.drip(let interval)):
            return dialect.drip(call, every: interval)
        case .fault(.emptyChoices):
            return dialect.emptyChoices(call)
        case .fault(.cut(let text)):
            return dialect.cut(ScriptBook.Reply(text: text, toolCalls: []), to: call)
        case .fault(.dropConnection), .fault(.reply):
            return ConnectionDropper.response
        }
    }

    /// An answer quoting `authorization` in the place `echo` names, in OpenAI's error shape.
    static func echo(_ authorization: String, in echo: AuthorizationEcho, number: Int) -> HTTPResponse {
        let message = "Invalid authorization header: \(authorization)"
        let error: FakeJSON = [
            "error": ["message": .string(message), "type": "invalid_request_error", "param": nil, "code": nil]
        ]
        switch echo {
        case .status(let status):
            var headers = OpenAIChatDialect().commonHeaders(number: number)
            if (300..<400).contains(status) {
                headers[HTTPHeader("location")] = "https://login.example.com/?token=\(authorization)"
            }
            return Wire.json(Wire.status(status), error, headers: headers)
        case .errorEvent:
            return Wire.eventStream(["data: \(error.encodedText)\n\n", "data: [DONE]\n\n"])
        case .badChunk:
            return Wire.eventStream(["data: <html>\(message)</html>\n\n", "data: [DONE]\n\n"])
        }
    }

    /// Waits out the server's latency.
    private func wait() async throws {
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
    }

    /// The script key of a `/sessions/{key}/…` path and the rest of the path; no key for other paths.
    static func split(_ path: String) -> (key: String?, rest: String) {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, parts[1] == "sessions" else { return (nil, path) }
        let tail = parts[2]
        guard let slash = tail.firstIndex(of: "/") else {
            return (String(tail).removingPercentEncoding ?? String(tail), "/")
        }
        let key = String(tail[..<slash])
        return (key.removingPercentEncoding ?? key, String(tail[slash...]))
    }

    /// The protocol a path (after any key prefix) selects.
    static func api(for path: String) -> FakeModelRequest.API? {
        switch path {
        case "/chat/completions", "/v1/chat/completions": .openAIChatCompletions
        case "/v1/messages": .anthropicMessages
        default: nil
        }
    }
}
