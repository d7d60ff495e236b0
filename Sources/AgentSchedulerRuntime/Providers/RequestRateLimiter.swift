/// Keeps a model's requests and tokens per minute under the catalog's `rpm` and `tpm`, over a
/// sliding one-minute window shared by every session of the process.
public actor RequestRateLimiter {
    public let requestsPerMinute: Int?
    public let tokensPerMinute: Int?
    private let clock = ContinuousClock()
    private var sent: [(at: ContinuousClock.Instant, tokens: Int)] = []

    public init(requestsPerMinute: Int?, tokensPerMinute: Int?) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// Waits until one more request of about `tokens` tokens fits in the window, then counts it.
    public func acquire(tokens: Int, sleep: @Sendable (Duration) async throws -> Void) async throws {
        while true {
            let now = clock.now
            sent.removeAll { now - $0.at >= .seconds(60) }
            let requestsFull = requestsPerMinute.map { sent.count >= $0 } ?? false
            let tokensFull =
                tokensPerMinute.map { limit in
                    !sent.isEmpty && sent.reduce(0) { $0 + $1.tokens } + tokens > limit
                } ?? false
            guard requestsFull || tokensFull, let oldest = sent.first else {
                sent.append((now, tokens))
                return
            }
            try await sleep(.seconds(60) - (now - oldest.at))
        }
    }

    /// Replaces the estimate of the most recent matching request with the tokens actually used.
    public func record(tokens: Int, estimated: Int) {
        if let index = sent.lastIndex(where: { $0.tokens == estimated }) { sent[index].tokens = tokens }
    }
}
