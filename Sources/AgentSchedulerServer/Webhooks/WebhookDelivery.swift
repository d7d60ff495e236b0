import Foundation

/// One `POST /github/webhook` as the HTTP route hands it over: three of GitHub's headers and the
/// body's raw bytes, exactly as received (the signature is over those bytes).
///
/// A header that is absent is `nil`; the route looks headers up without case, as HTTP has them.
public struct WebhookDelivery: Sendable, Hashable {
    /// The header naming the event kind (`issues`, `issue_comment`, `ping`, …).
    public static let eventHeader = "X-GitHub-Event"
    /// The header carrying the delivery's unique id, kept in the ledger against replay.
    public static let deliveryHeader = "X-GitHub-Delivery"
    /// The header carrying the HMAC-SHA256 signature (``WebhookSignature``).
    public static let signatureHeader = WebhookSignature.header

    /// `X-GitHub-Event`.
    public var event: String?
    /// `X-GitHub-Delivery`.
    public var id: String?
    /// `X-Hub-Signature-256`.
    public var signature: String?
    /// The raw body.
    public var body: Data

    public init(event: String?, id: String?, signature: String?, body: Data) {
        self.event = event
        self.id = id
        self.signature = signature
        self.body = body
    }
}
