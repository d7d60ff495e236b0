import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension HTTPStreamClient {
    /// Sends one model request and turns the answer into a `ModelResponse`, the same way for every
    /// provider: an error status becomes a classified `ProviderFailure` with the provider's message;
    /// a 2xx body is read as a stream (`readStream`) or whole (`decode`); a connection that breaks
    /// after a 2xx head is a truncated response; other errors are classified by `HTTPFailure`.
    func exchange(
        _ urlRequest: URLRequest, stream: Bool, apiKeyVariable: String?, attempt: Int,
        readStream: (AsyncThrowingStream<Data, any Error>) async throws -> ModelResponse,
        decode: (Data) throws -> ModelResponse
    ) async throws -> ModelResponse {
        do {
            let (head, body) = try await send(urlRequest)
            guard (200..<300).contains(head.status) else {
                var data = Data()
                for try await chunk in body where data.count < 65_536 { data.append(chunk) }
                throw HTTPFailure.classify(
                    status: head.status, headers: head.headers, body: data, apiKeyVariable: apiKeyVariable,
                    attempt: attempt)
            }
            do {
                if stream { return try await readStream(body) }
                var data = Data()
                for try await chunk in body { data.append(chunk) }
                return try decode(data)
            } catch let error as URLError where error.code != .cancelled && error.code != .timedOut {
                throw ProviderFailure(
                    .malformed("the response was cut off: \(error.localizedDescription)"), attempt: attempt)
            }
        } catch {
            throw HTTPFailure.classify(error, attempt: attempt)
        }
    }
}
