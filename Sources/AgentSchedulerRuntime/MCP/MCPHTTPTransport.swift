import AgentSchedulerCore
import AsyncHTTPClient
import Foundation
import Logging
import MCP
import NIOCore

/// The MCP SDK's `Transport` over streamable HTTP (MCP 2025-06-18): each message is POSTed to the
/// server's URL, and the answer comes back as one JSON body or as Server-Sent Events.
///
/// The SDK's own HTTP transport cannot read event streams on Linux (it hands the raw stream over as
/// one message), so this one runs on the AsyncHTTPClient the model clients use. It sends the
/// declared headers (already filled, so they hold secrets: they are never logged), keeps the
/// server's `Mcp-Session-Id`, sends `MCP-Protocol-Version` once initialised, and ends the session
/// with `DELETE` on disconnect. Redirects are not followed (they would carry the headers
/// elsewhere). An error status fails the message that caused it.
actor MCPHTTPTransport: MCPConnectionTransport {
    nonisolated let logger = Logger(label: "agentsched.mcp.http", factory: { _ in SwiftLogNoOpLogHandler() })
    nonisolated let closure = ClosureSignal()
    private let url: String
    private let headers: [(String, String)]
    private let http: HTTPStreamClient
    private let ownsClient: Bool
    private var sessionID: String?
    private var protocolVersion: String?
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    /// A transport to `url` sending `headers` with every request; `http` defaults to a client of
    /// its own, shut down on disconnect.
    init(url: String, headers: [(String, String)], http: HTTPStreamClient? = nil, idleTimeout: Duration = .seconds(300))
    {
        self.url = url
        self.headers = headers
        self.http =
            http
            ?? HTTPStreamClient(maxConnections: 4, idleTimeout: idleTimeout, bodyLimit: StdioServerProcess.messageLimit)
        ownsClient = http == nil
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    func connect() async throws {}

    func disconnect() async {
        if let sessionID {
            var request = HTTPClientRequest(url: url)
            request.method = .DELETE
            addHeaders(to: &request)
            request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID)
            if let (_, body) = try? await http.send(request) {
                do { for try await _ in body {} } catch {}  // The session ends either way.
            }
        }
        closure.fire(.closed)
        continuation.finish(throwing: MCPTransportError.closed)
        if ownsClient { try? await http.shutdown() }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    func send(_ data: Data) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        addHeaders(to: &request)
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.headers.replaceOrAdd(name: "Accept", value: "application/json, text/event-stream")
        if let sessionID { request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.replaceOrAdd(name: "MCP-Protocol-Version", value: protocolVersion) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let (head, body): (HTTPStreamClient.Head, HTTPStreamClient.Body)
        do {
            (head, body) = try await http.send(request)
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw MCPTransportError.http(
                "\(HTTPFailure.classify(error, attempt: 1, endpoint: HTTPFailure.endpoint(of: url)))")
        }
        if let session = head.headers["mcp-session-id"], sessionID == nil { sessionID = session }
        guard (200..<300).contains(head.status) else {
            var message = Data()
            for try await chunk in body where message.count < 1024 {
                message.append(chunk.prefix(1024 - message.count))
            }
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw MCPTransportError.http("HTTP \(head.status)" + (text.isEmpty ? "" : ": \(text.prefix(300))"))
        }
        let contentType = head.headers["content-type"]?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") {
            var parser = SSEParser()
            for try await chunk in body {
                for event in parser.feed(chunk) where !event.data.isEmpty {
                    deliver(Data(event.data.utf8))
                }
            }
        } else {
            var whole = Data()
            for try await chunk in body { whole.append(chunk) }
            // 202 Accepted (a notification or a response) has no body.
            guard !whole.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) else { return }
            guard contentType.hasPrefix("application/json") else {
                throw MCPTransportError.http(
                    "the server answered with \(contentType.isEmpty ? "no content type" : contentType), not JSON or an event stream"
                )
            }
            deliver(whole)
        }
    }

    /// Passes one message to the client, noting the protocol version the server chose.
    private func deliver(_ message: Data) {
        if protocolVersion == nil, let parsed = try? JSONValue(parsing: message),
            case .string(let version)? = parsed["result"]?["protocolVersion"]
        {
            protocolVersion = version
        }
        continuation.yield(message)
    }

    private func addHeaders(to request: inout HTTPClientRequest) {
        request.headers.add(name: "User-Agent", value: "agentsched")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
    }
}
