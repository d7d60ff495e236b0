import AsyncHTTPClient
import Foundation

extension HTTPStreamClient {
    /// Sends one model request and turns the answer into a `ModelResponse`, the same way for every
    /// provider: an error status becomes a classified `ProviderFailure` with the provider's message;
    /// a 2xx body is read as a stream (`readStream`) or whole (`decode`); a connection that breaks
    /// after a 2xx head is a truncated response; other errors are classified by `HTTPFailure`.
    ///
    /// The exchange first waits for one of the client's `maxConnections` permits, as long as it
    /// takes; cancelling the task ends the wait with `CancellationError`.
    func exchange(
        _ request: HTTPClientRequest, stream: Bool, apiKeyVariable: String?, attempt: Int,
        readStream: (Body) async throws -> ModelResponse,
        decode: (Data) throws -> ModelResponse
    ) async throws -> ModelResponse {
        try await permits.withPermit {
            try await exchangeHoldingPermit(
                request, stream: stream, apiKeyVariable: apiKeyVariable, attempt: attempt,
                readStream: readStream, decode: decode)
        }
    }

    private func exchangeHoldingPermit(
        _ request: HTTPClientRequest, stream: Bool, apiKeyVariable: String?, attempt: Int,
        readStream: (Body) async throws -> ModelResponse,
        decode: (Data) throws -> ModelResponse
    ) async throws -> ModelResponse {
        let head: Head
        let body: Body
        do {
            (head, body) = try await send(request)
        } catch {
            throw HTTPFailure.classify(error, attempt: attempt, endpoint: HTTPFailure.endpoint(of: request.url))
        }
        guard (200..<300).contains(head.status) else {
            // Read to the end so the connection can serve the next request; keep the start.
            var data = Data()
            do {
                for try await chunk in body where data.count < 65_536 { data.append(chunk.prefix(65_536 - data.count)) }
            } catch {
                if Task.isCancelled { throw CancellationError() }
                // The status says what happened; the message is a courtesy.
            }
            throw HTTPFailure.classify(
                status: head.status, headers: head.headers, body: data, apiKeyVariable: apiKeyVariable,
                attempt: attempt)
        }
        do {
            if stream { return try await readStream(body) }
            var data = Data()
            for try await chunk in body { data.append(chunk) }
            return try decode(data)
        } catch {
            throw HTTPFailure.classifyInBody(error, attempt: attempt)
        }
    }
}
