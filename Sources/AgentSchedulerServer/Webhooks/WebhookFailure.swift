import Foundation

/// Why a delivery was refused or could not be acted on: an HTTP status, a stable `code` and a
/// one-line `message` (the body `{"error": {"code": …, "message": …}}`).
///
/// Messages carry no stack trace, no path of the server's machine and never the webhook secret.
public enum WebhookFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No secret: `github.webhook-secret-env` is absent, or the variable it names is unset or empty
    /// (`variable`). 503: nothing is verified, so nothing is done.
    case disabled(variable: String?)
    /// `X-Hub-Signature-256` missing, malformed, or not the body's signature under the secret. 401.
    case badSignature
    /// A body over the receiver's limit (GitHub caps payloads at 25 MB). 413.
    case tooLarge(limit: Int)
    /// No `X-GitHub-Delivery`. 400.
    case missingDelivery
    /// No `X-GitHub-Event`. 400.
    case missingEvent
    /// A known kind whose payload does not decode: the reason. 400.
    case malformed(String)
    /// The payload's own time is older than the window. 400.
    case stale(occurredAt: Date, window: TimeInterval)
    /// This delivery id was received before. 409.
    case replayed(delivery: String)
    /// The sender may not have that done (assign's one-line reason); recorded as a denied session. 403.
    case denied(String)
    /// The forge could not answer: a one-line reason. 502.
    case forge(String)
    /// The ledger could not be read or written. 500; its reason (which names the file) stays in the log.
    case ledger

    public var status: Int {
        switch self {
        case .disabled: 503
        case .badSignature: 401
        case .tooLarge: 413
        case .missingDelivery, .missingEvent, .malformed, .stale: 400
        case .replayed: 409
        case .denied: 403
        case .forge: 502
        case .ledger: 500
        }
    }

    public var code: String {
        switch self {
        case .disabled: "webhooks-disabled"
        case .badSignature: "bad-signature"
        case .tooLarge: "payload-too-large"
        case .missingDelivery: "missing-delivery"
        case .missingEvent: "missing-event"
        case .malformed: "malformed-payload"
        case .stale: "stale"
        case .replayed: "replayed"
        case .denied: "denied"
        case .forge: "forge-unavailable"
        case .ledger: "ledger-unavailable"
        }
    }

    public var description: String {
        switch self {
        case .disabled(let variable?):
            "webhooks are disabled: $\(variable) (github.webhook-secret-env) is not set"
        case .disabled(nil):
            "webhooks are disabled: set github.webhook-secret-env in agentsched.yaml to the variable holding the secret"
        case .badSignature:
            "the X-Hub-Signature-256 header is missing or is not this body's signature under the webhook secret"
        case .tooLarge(let limit): "the payload is larger than \(limit) bytes"
        case .missingDelivery: "the X-GitHub-Delivery header is missing"
        case .missingEvent: "the X-GitHub-Event header is missing"
        case .malformed(let reason): reason
        case .stale(let occurredAt, let window):
            "the delivery is stale: it happened at \(ISO8601DateFormatter().string(from: occurredAt)), "
                + "more than \(Int(window)) s ago"
        case .replayed(let delivery): "delivery \(delivery) was received before; nothing was done"
        case .denied(let reason): reason
        case .forge(let reason): reason
        case .ledger: "the ledger is unavailable; nothing was done"
        }
    }

    /// The answer that carries this failure.
    public var answer: WebhookAnswer {
        WebhookAnswer(status: status, body: .failure(code: code, message: description))
    }
}
