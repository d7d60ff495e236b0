import AgentSchedulerCore
import Foundation

/// Sends model requests with retries, waits and client-side rate limits around a `ModelClient`.
///
/// Rate limits (429) wait for the provider's `Retry-After` or rate-limit reset, else back off
/// exponentially with full jitter; server errors, timeouts, dropped connections and malformed
/// answers (duplicate tool-call ids among them) back off and retry; authentication and bad requests stop at once. Every failed attempt
/// is reported through `onFailure` with its class and attempt number, so the caller can record it
/// and make sure it is not charged. Every failure is redacted by `redactor` before anyone sees it,
/// so a provider that echoes the key in an error body never puts it into a reason or an event.
/// Sleeping goes through `sleep`, so tests control time.
///
/// A streamed request that offers tools and gets back an unusable stream (a 200 without a single
/// event, as llama.cpp sends for streamed tool choice) or an empty answer (no text, no tool calls)
/// is sent again once, at once, without streaming; `onStreamFallback` hears why,
/// and the answer says `fellBackFromStreaming`, so the caller can stop streaming for the session.
///
/// Each attempt has a total deadline, `attemptTimeout` (the catalog's `timeout`): an answer that
/// drips in (empty deltas, a byte a second) fails as a timeout when it passes, however busy the
/// connection looks. The deadline is waited out through `waitForDeadline`.
public struct ResilientModelClient: Sendable {
    public var client: any ModelClient
    /// Attempts after the first, for failures other than rate limits.
    public var maxRetries: Int
    /// Waits for a rate limit (429) before giving up: a rate limit says "later", not "failed",
    /// so it gets a budget of its own, and the session shows as throttled meanwhile.
    public var maxRateLimitWaits: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var limiter: RequestRateLimiter?
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Knows the secrets that must not leave in a failure's text.
    public var redactor: Redactor
    /// How long one attempt, from sending to the last byte of the answer, may take; `nil` for no limit.
    public var attemptTimeout: Duration?
    public var waitForDeadline: @Sendable (Duration) async throws -> Void

    public init(
        client: any ModelClient, maxRetries: Int = 3, maxRateLimitWaits: Int = 30,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30), limiter: RequestRateLimiter? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        redactor: Redactor = Redactor(),
        attemptTimeout: Duration? = nil,
        waitForDeadline: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.redactor = redactor
        self.client = client
        self.maxRetries = maxRetries
        self.maxRateLimitWaits = maxRateLimitWaits
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.limiter = limiter
        self.sleep = sleep
        self.attemptTimeout = attemptTimeout
        self.waitForDeadline = waitForDeadline
    }

    /// The answer, or the last failure once retries are spent or the failure cannot be retried.
    public func send(
        _ request: ModelRequest,
        onFailure: @Sendable (ProviderFailure, _ willRetryAfter: Duration?) async -> Void = { _, _ in },
        onStreamFallback: @Sendable (_ reason: String) async -> Void = { _ in }
    ) async throws -> ModelResponse {
        var request = request
        var fellBack = false
        var attempt = 1
        var otherFailures = 0
        var rateLimits = 0
        while true {
            try Task.checkCancellation()
            let estimate = request.messages.reduce(0) { $0 + $1.content.count } / 4
            try await limiter?.acquire(tokens: estimate, sleep: sleep)
            do {
                var response = try await sendWithinDeadline(request, attempt: attempt)
                if let id = response.duplicateToolCallID {
                    throw ProviderFailure(
                        .malformed("two tool calls in one answer share the id '\(id)'"), attempt: attempt)
                }
                await limiter?.record(tokens: response.usage.total, estimated: estimate)
                if Self.mayFallBack(request, fellBack: fellBack), response.message.content.isEmpty,
                    response.message.toolCalls.isEmpty
                {
                    fellBack = true
                    request.stream = false
                    await onStreamFallback("the streamed answer was empty; asking again without streaming")
                    attempt += 1
                    continue
                }
                response.fellBackFromStreaming = fellBack
                return response
            } catch let unredacted as ProviderFailure {
                let failure = unredacted.redacted(by: redactor)
                if Self.mayFallBack(request, fellBack: fellBack),
                    case .malformed(let reason) = failure.kind, reason == ProviderFailure.emptyStream
                {
                    fellBack = true
                    request.stream = false
                    await onStreamFallback("\(reason); asking again without streaming")
                    attempt += 1
                    continue
                }
                if case .rateLimited = failure.kind { rateLimits += 1 } else { otherFailures += 1 }
                guard failure.isRetryable, otherFailures <= maxRetries, rateLimits <= maxRateLimitWaits else {
                    await onFailure(failure, nil)
                    throw failure
                }
                let delay = self.delay(for: failure, attempt: max(otherFailures, rateLimits))
                await onFailure(failure, delay)
                try await sleep(delay)
                attempt += 1
            }
        }
    }

    /// Whether an unusable streamed answer to `request` is worth one more try without streaming.
    static func mayFallBack(_ request: ModelRequest, fellBack: Bool) -> Bool {
        request.stream && !request.tools.isEmpty && !fellBack
    }

    /// Who ended the race between an attempt and its deadline.
    private enum AttemptEnd: Sendable {
        case answered(ModelResponse)
        case deadline
    }

    /// One attempt, failed as a `.timeout` once `attemptTimeout` passes (the request is cancelled).
    func sendWithinDeadline(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        guard let timeout = attemptTimeout else { return try await client.send(request, attempt: attempt) }
        return try await withThrowingTaskGroup(of: AttemptEnd.self) { [client, waitForDeadline] group in
            group.addTask { .answered(try await client.send(request, attempt: attempt)) }
            group.addTask {
                try await waitForDeadline(timeout)
                return .deadline
            }
            defer { group.cancelAll() }
            switch try await group.next()! {
            case .answered(let response): return response
            case .deadline: throw ProviderFailure(.timeout, attempt: attempt)
            }
        }
    }

    /// How long to wait before attempt `attempt + 1`.
    func delay(for failure: ProviderFailure, attempt: Int) -> Duration {
        if case .rateLimited(let retryAfter?) = failure.kind { return min(retryAfter, maxDelay * 4) }
        let ceiling = min(baseDelay * (1 << min(attempt - 1, 16)), maxDelay)
        let milliseconds = ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int64.random(in: 0...max(1, milliseconds)))
    }
}
