import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends HTTP requests through URLSession (libcurl on Linux) and hands the response body over as
/// it arrives, through a session delegate: `bytes(for:)` does not exist on Linux.
///
/// One client serves one model: its session allows `maxConnections` connections to the host, and
/// `idleTimeout` is how long a request may go without a byte before it fails with a timeout. It
/// is rounded up to whole seconds, at least one: libcurl underneath takes whole seconds, and a
/// fraction would become no time at all. Cancelling the calling task cancels the request.
public final class HTTPStreamClient: Sendable {
    /// Status and headers (names lowercased).
    public struct Head: Sendable {
        public var status: Int
        public var headers: [String: String]
    }

    private let session: URLSession
    private let delegate: HTTPStreamDelegate

    public init(maxConnections: Int = 64, idleTimeout: TimeInterval = 120) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnections
        let idleTimeout = max(1, idleTimeout.rounded(.up))
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = max(idleTimeout * 10, 600)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        delegate = HTTPStreamDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Sends `request`; returns once the status and headers are in, with the body still streaming.
    public func send(_ request: URLRequest) async throws -> (Head, AsyncThrowingStream<Data, any Error>) {
        let task = session.dataTask(with: request)
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Head, any Error>) in
                delegate.register(task.taskIdentifier, head: continuation, body: bodyContinuation)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        return (head, body)
    }

    /// Sends `request` and collects the whole body, up to `limit` bytes.
    public func data(for request: URLRequest, limit: Int = 64 << 20) async throws -> (Head, Data) {
        let (head, body) = try await send(request)
        var data = Data()
        for try await chunk in body {
            data.append(chunk)
            if data.count > limit { throw URLError(.dataLengthExceedsMaximum) }
        }
        return (head, data)
    }
}

/// Hands each task's head and body chunks to the continuation its `send` registered.
final class HTTPStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var head: CheckedContinuation<HTTPStreamClient.Head, any Error>?
        var body: AsyncThrowingStream<Data, any Error>.Continuation
    }

    /// Guards `pending`: URLSession calls back on its delegate queue, `send` registers from any task.
    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func register(
        _ task: Int, head: CheckedContinuation<HTTPStreamClient.Head, any Error>,
        body: AsyncThrowingStream<Data, any Error>.Continuation
    ) {
        lock.withLock { pending[task] = Pending(head: head, body: body) }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        let head = lock.withLock { () -> CheckedContinuation<HTTPStreamClient.Head, any Error>? in
            defer { pending[dataTask.taskIdentifier]?.head = nil }
            return pending[dataTask.taskIdentifier]?.head
        }
        head?.resume(returning: HTTPStreamClient.Head(status: http?.statusCode ?? 0, headers: headers))
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let body = lock.withLock { pending[dataTask.taskIdentifier]?.body }
        body?.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let done = lock.withLock({ pending.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let head = done.head {
            head.resume(throwing: error ?? URLError(.badServerResponse))
        }
        if let error {
            done.body.finish(throwing: error)
        } else {
            done.body.finish()
        }
    }
}
