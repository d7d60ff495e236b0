import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Crypto
import Foundation
import Logging

/// `POST /github/webhook` without the HTTP (DESIGN §11): verifies a GitHub delivery and acts on
/// it as `assign --route` (issues labeled or assigned) and `sync` (mentions) would.
///
/// ``receive(_:)`` checks, in order, and fails closed at the first that does not hold:
/// 1. a secret is configured (`github.webhook-secret-env`, a set, non-empty variable), else 503;
/// 2. the body fits ``maximumBodySize``, else 413, and `X-Hub-Signature-256` signs the raw body
///    under the secret (constant-time), else 401;
/// 3. the delivery id and event headers are there, else 400;
/// 4. a known kind decodes (400 with the reason; an unknown kind is 202, ignored), and an action
///    agentsched does not act on is 202, ignored;
/// 5. the payload's own time (a comment's `created_at`, a review's `submitted_at`, an issue's
///    `updated_at`) is within ``staleAfter`` of the clock, else 400 `stale`;
/// 6. the delivery id is new in the ledger (one atomic insert, across processes), else 409 `replayed`.
///
/// Only then does it act, in a repository of the workspace that is on GitHub (any other is 202,
/// ignored): see `WebhookReceiver+Issues.swift` and `WebhookReceiver+Mentions.swift`. Forge
/// failures are 502 and ledger failures 500, each with one line that carries no path and no secret.
///
/// The composition root makes one per process, with the process's (redacting) ledger and forge
/// directory: the forges' permission cache is shared with everything else in the process. Nothing
/// here knows of Hummingbird; the route converts headers and body in, and the answer out.
public struct WebhookReceiver: Sendable {
    /// GitHub caps webhook payloads at 25 MB.
    public static let maximumBodySize = 25 * 1024 * 1024

    public var workspace: Workspace
    /// Sessions, follow-ups and delivery ids. Pass the process's `RedactingLedger`: issue text and
    /// comments are hostile input and may carry a pasted secret.
    public var ledger: any Ledger
    public var forges: ForgeDirectory
    public var clock: any WallClock
    /// How old a payload's own time may be (1 hour by default).
    public var staleAfter: TimeInterval
    public var logger: Logger
    /// `nil` when webhooks are disabled. The secret lives only in here.
    let signature: WebhookSignature?

    /// A receiver for `workspace`, with the secret read from `environment` under the variable
    /// `github.webhook-secret-env` names (none, or an empty value: every delivery is answered 503).
    public init(
        workspace: Workspace, environment: [String: String], ledger: any Ledger, forges: ForgeDirectory,
        clock: any WallClock = SystemWallClock(), staleAfter: TimeInterval = 3600,
        logger: Logger = Logger(label: "agentsched.webhook")
    ) {
        self.workspace = workspace
        self.ledger = ledger
        self.forges = forges
        self.clock = clock
        self.staleAfter = staleAfter
        self.logger = logger
        signature = workspace.configuration.webhookSecretVariable.flatMap { environment[$0] }
            .flatMap(WebhookSignature.init(secret:))
    }

    /// Whether deliveries are verified and acted on: a secret is configured.
    public var isEnabled: Bool { signature != nil }

    /// Verifies `delivery` and acts on it; never throws: every outcome is an answer.
    public func receive(_ delivery: WebhookDelivery) async -> WebhookAnswer {
        do throws(WebhookFailure) {
            let answer = WebhookAnswer(try await handle(delivery))
            logger.info(
                "webhook delivery",
                metadata: [
                    "delivery": "\(delivery.id ?? "")", "event": "\(delivery.event ?? "")",
                    "status": "\(answer.outcome?.status.rawValue ?? "")",
                ])
            return answer
        } catch {
            logger.notice(
                "webhook delivery refused",
                metadata: [
                    "delivery": "\(delivery.id ?? "")", "event": "\(delivery.event ?? "")", "code": "\(error.code)",
                ])
            return error.answer
        }
    }

    private func handle(_ delivery: WebhookDelivery) async throws(WebhookFailure) -> WebhookOutcome {
        guard let signature else {
            throw WebhookFailure.disabled(variable: workspace.configuration.webhookSecretVariable)
        }
        guard delivery.body.count <= Self.maximumBodySize else {
            throw WebhookFailure.tooLarge(limit: Self.maximumBodySize)
        }
        guard signature.isValid(delivery.signature, body: delivery.body) else { throw WebhookFailure.badSignature }
        guard let id = delivery.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
            throw WebhookFailure.missingDelivery
        }
        guard let name = delivery.event?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw WebhookFailure.missingEvent
        }
        guard let event = try WebhookEvent.decode(name, body: delivery.body) else {
            return WebhookOutcome(status: .ignored, message: "agentsched does not act on \(name) events")
        }
        guard event.isActedOn else {
            return WebhookOutcome(
                status: .ignored, message: "agentsched does not act on \(name) \(event.action ?? "") events")
        }
        if case .ping = event {
            // A ping carries no time of its own; it changes nothing either.
        } else {
            guard let occurredAt = event.occurredAt else {
                throw WebhookFailure.malformed("\(name) payload: review.submitted_at is missing")
            }
            if clock.now().timeIntervalSince(occurredAt) > staleAfter {
                throw WebhookFailure.stale(occurredAt: occurredAt, window: staleAfter)
            }
        }
        let isNew: Bool
        do {
            let digest = SHA256.hash(data: delivery.body).hex
            isNew = try await ledger.recordWebhookDelivery(id, event: name, digest: digest, at: clock.now())
        } catch {
            logger.error("webhook delivery not recorded: \(error)", metadata: ["delivery": "\(id)"])
            throw WebhookFailure.ledger
        }
        guard isNew else { throw WebhookFailure.replayed(delivery: id) }
        do {
            return try await act(on: event)
        } catch  where error.status >= 500 {
            // Nothing was done: GitHub's redelivery (same id, same body) must be acted on.
            do {
                try await ledger.forgetWebhookDelivery(id)
            } catch {
                logger.error("webhook delivery not forgotten: \(error)", metadata: ["delivery": "\(id)"])
            }
            throw error
        }
    }

    /// Acts on a verified, fresh, new delivery.
    private func act(on event: WebhookEvent) async throws(WebhookFailure) -> WebhookOutcome {
        if case .ping(let ping) = event {
            return WebhookOutcome(status: .pong, message: ping.zen ?? "pong")
        }
        guard let named = event.repository, let repository = workspaceRepository(named) else {
            return WebhookOutcome(
                status: .ignored, message: "\(event.repository ?? "that repository") is not in this workspace")
        }
        guard workspace.configuration.isGitHub(repository) else {
            return WebhookOutcome(
                status: .ignored,
                message: "\(repository) is not on GitHub in agentsched.yaml (add `\(repository): { github: true }`)")
        }
        switch event {
        case .ping: preconditionFailure("answered above")
        case .issues(let payload): return try await assign(payload, in: repository)
        case .issueComment(let payload):
            guard payload.issue.isPullRequest else {
                return WebhookOutcome(
                    status: .ignored, message: "#\(payload.issue.number) is an issue, not a pull request")
            }
            return try await followUp(
                on: payload.issue.number, in: repository, mentionedIn: payload.comment.body,
                what: "comment \(payload.comment.id)")
        case .pullRequestReview(let payload):
            return try await followUp(
                on: payload.pullRequest.number, in: repository, mentionedIn: payload.review.body ?? "",
                what: "review \(payload.review.id)")
        case .pullRequestReviewComment(let payload):
            return try await followUp(
                on: payload.pullRequest.number, in: repository, mentionedIn: payload.comment.body,
                what: "review comment \(payload.comment.id)")
        }
    }

    /// The workspace's own spelling of `repository` (GitHub's names match without case).
    func workspaceRepository(_ repository: String) -> String? {
        let wanted = repository.lowercased()
        return workspace.configuration.repositories.keys.first { $0.lowercased() == wanted }
    }
}
