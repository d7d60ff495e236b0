import AgentSchedulerCore
import Foundation

/// Webhook deliveries seen, so each is acted on once.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol WebhookLedger: Sendable {
    /// Records that webhook delivery `delivery` (GitHub's `X-GitHub-Delivery`) of `event`, whose
    /// body hashes to `digest` (SHA-256, hex), arrived at `at`, in one atomic insert; returns
    /// `true` when it is new and `false` when that delivery id or that body was recorded before,
    /// so of any number of processes receiving the same delivery exactly one acts on it, and a
    /// signed body resent under a fresh id is a replay too (the id is not signed; the body is).
    ///
    /// Throws `LedgerError.invalidValue` for an empty delivery id or digest.
    func recordWebhookDelivery(_ delivery: String, event: String, digest: String, at: Date) async throws -> Bool
    /// Forgets a recorded delivery that could not be acted on (GitHub or the ledger failed), so
    /// that GitHub's redelivery, which keeps the id and the body, is acted on.
    func forgetWebhookDelivery(_ delivery: String) async throws
}
