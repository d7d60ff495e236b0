import Foundation

/// What the HTTP route answers a delivery: a status and a JSON body.
///
/// A 2xx carries a ``WebhookOutcome`` (`{"status", "message", "sessions"}`), anything else an
/// error (`{"error": {"code", "message"}}`). ``json`` is the body's bytes, keys sorted; send them
/// with ``contentType``.
public struct WebhookAnswer: Sendable, Hashable {
    /// The body's content type.
    public static let contentType = "application/json; charset=utf-8"

    public enum Body: Sendable, Hashable {
        case outcome(WebhookOutcome)
        case failure(code: String, message: String)
    }

    /// The HTTP status.
    public var status: Int
    public var body: Body

    public init(status: Int, body: Body) {
        self.status = status
        self.body = body
    }

    /// 200 for something done or a pong, 202 for a delivery accepted and ignored.
    public init(_ outcome: WebhookOutcome) {
        self.init(status: outcome.status == .ignored ? 202 : 200, body: .outcome(outcome))
    }

    /// The outcome of a 2xx answer; `nil` for an error.
    public var outcome: WebhookOutcome? {
        guard case .outcome(let outcome) = body else { return nil }
        return outcome
    }

    /// The error code of an error answer; `nil` for a 2xx.
    public var errorCode: String? {
        guard case .failure(let code, _) = body else { return nil }
        return code
    }

    /// The one-line message of either kind of answer.
    public var message: String {
        switch body {
        case .outcome(let outcome): outcome.message
        case .failure(_, let message): message
        }
    }

    /// The body as JSON, keys sorted.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch body {
        case .outcome(let outcome):
            return (try? encoder.encode(outcome)) ?? Data()
        case .failure(let code, let message):
            return (try? encoder.encode(["error": ["code": code, "message": message]])) ?? Data()
        }
    }
}
