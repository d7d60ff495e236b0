import AgentSchedulerCore

/// Why a model request failed, classified so the caller knows whether to wait, retry, stop, or
/// refund: a failed request is never charged (DESIGN §5.5).
public struct ProviderFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// 429: wait for `retryAfter` when the provider said, else back off.
        case rateLimited(retryAfter: Duration?)
        /// 5xx.
        case server(status: Int)
        /// No answer, or no bytes for longer than the model's timeout.
        case timeout
        /// The connection failed or dropped before a whole answer.
        case connection(String)
        /// No connection could be made at all: nothing listens at `endpoint` (`reason`: "connection
        /// refused"), or the host is unknown or unreachable. Retried with a short backoff.
        case unreachable(endpoint: String, reason: String)
        /// A body that is not the provider's JSON, or a stream that ended early.
        case malformed(String)
        /// 401/403: the key is missing or wrong; retrying will not help.
        case authentication(status: Int, environmentVariable: String?)
        /// 400 and other client errors: the provider's own message.
        case badRequest(status: Int, message: String)
    }

    public var kind: Kind

    /// The reason of a `.malformed` failure whose 200 carried no stream event at all (llama.cpp's
    /// answer to streamed tool choice); `ResilientModelClient` then asks without streaming.
    public static let emptyStream = "the answer was an empty stream"
    /// 1 for the first try.
    public var attempt: Int
    /// The provider's own explanation (a server error's body, an error event in a stream): a short
    /// excerpt, redacted before it reaches a reason or an event.
    public var message: String?

    public init(_ kind: Kind, attempt: Int = 1, message: String? = nil) {
        self.kind = kind
        self.attempt = attempt
        self.message = message
    }

    /// This failure with every secret `redactor` knows replaced in its texts.
    public func redacted(by redactor: Redactor) -> ProviderFailure {
        guard !redactor.isEmpty else { return self }
        var copy = self
        copy.message = redactor.redact(message)
        switch kind {
        case .connection(let reason): copy.kind = .connection(redactor.redact(reason))
        case .malformed(let reason): copy.kind = .malformed(redactor.redact(reason))
        case .badRequest(let status, let text): copy.kind = .badRequest(status: status, message: redactor.redact(text))
        case .unreachable(let endpoint, let reason):
            copy.kind = .unreachable(endpoint: redactor.redact(endpoint), reason: reason)
        case .rateLimited, .server, .timeout, .authentication: break
        }
        return copy
    }

    /// Whether trying again may succeed.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .connection, .unreachable, .malformed: true
        case .authentication, .badRequest: false
        }
    }

    /// A stable name for events and reports: `rate-limited`, `server-error`, `timeout`, …
    public var className: String {
        switch kind {
        case .rateLimited: "rate-limited"
        case .server: "server-error"
        case .timeout: "timeout"
        case .connection, .unreachable: "connection"
        case .malformed: "malformed-response"
        case .authentication: "authentication"
        case .badRequest: "bad-request"
        }
    }

    public var description: String {
        guard let message, !message.isEmpty else { return summary }
        return "\(summary): \(message)"
    }

    /// The description without the provider's message.
    private var summary: String {
        switch kind {
        case .rateLimited(let retryAfter):
            "rate limited (429)\(retryAfter.map { "; retry after \($0)" } ?? "")"
        case .server(let status): "server error (\(status))"
        case .timeout: "the model did not answer in time"
        case .connection(let reason): "connection failed: \(reason)"
        case .unreachable(let endpoint, let reason): "cannot connect to \(endpoint) (\(reason)); is the server running?"
        case .malformed(let reason): "malformed response: \(reason)"
        case .authentication(let status, let variable):
            "authentication failed (\(status)): "
                + (variable.map { "check the key in $\($0)" } ?? "the provider refused the request without a key")
        case .badRequest(let status, let message): "the provider refused the request (\(status)): \(message)"
        }
    }
}
