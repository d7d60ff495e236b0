import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// A session as `sessions list` and `sessions show` print it: the record, what it has spent, its age.
public struct SessionSummary: Sendable, Hashable, Encodable {
    public var session: SessionRecord
    /// Premium requests charged to it so far.
    public var premiumRequests: PremiumRequests
    public var aiCredits: AICredits
    /// The tokens of its requests billed in AI credits.
    public var tokens: TokenCounts
    public var modelRequests: Int
    /// Its requests billed in AI credits, one by one (read by `withRequests`, for `sessions show`).
    public var requests: [PricedRequest] = []

    public init(
        session: SessionRecord, premiumRequests: PremiumRequests, aiCredits: AICredits = .zero,
        tokens: TokenCounts = .zero, modelRequests: Int, requests: [PricedRequest] = []
    ) {
        self.session = session
        self.premiumRequests = premiumRequests
        self.aiCredits = aiCredits
        self.tokens = tokens
        self.modelRequests = modelRequests
        self.requests = requests
    }

    /// Every session in `states` (all when empty), oldest first, with its charges.
    public static func load(from ledger: (any Ledger)?, states: Set<SessionState> = []) async throws -> [SessionSummary]
    {
        guard let ledger else { return [] }
        let sessions = try await ledger.sessions(in: states)
        let charges = try await ledger.usage(
            UsageQuery(from: Date(timeIntervalSince1970: 0), until: .distantFuture, dimensions: [.session]))
        var spent: [String: UsageRow] = [:]
        for row in charges.rows { spent[row.values[0]] = row }
        return sessions.map { session in
            let row = spent["\(session.id)"]
            return SessionSummary(
                session: session, premiumRequests: row?.premiumRequests ?? .zero, aiCredits: row?.aiCredits ?? .zero,
                tokens: row?.tokens ?? .zero, modelRequests: row?.modelRequests ?? 0)
        }
    }

    /// One session with its charges, read from that session's charges alone (what the API and
    /// the page ask for one session, without aggregating every session's).
    public static func load(_ session: SessionRecord, from ledger: any Ledger) async throws -> SessionSummary {
        var premium = PremiumRequests.zero
        var credits = AICredits.zero
        var tokens = TokenCounts.zero
        var requests = 0
        for charge in try await ledger.charges(session: session.id) {
            premium += charge.amount.premiumRequests ?? .zero
            credits = credits + (charge.amount.aiCredits ?? .zero)
            tokens += charge.tokens
            requests += charge.requests
        }
        return SessionSummary(
            session: session, premiumRequests: premium, aiCredits: credits, tokens: tokens, modelRequests: requests)
    }

    /// This summary with each request's price breakdown, from the session's events.
    public func withRequests(from ledger: (any Ledger)?) async throws -> SessionSummary {
        guard let ledger else { return self }
        var summary = self
        summary.requests = try await ledger.events(session: session.id, after: 0).compactMap { event in
            guard case .requestPriced(let request) = event.payload else { return nil }
            return request
        }
        return summary
    }

    /// What it spent as a table cell: premium requests (`0.33`), or credits (`12.40 cr`).
    public var figure: String {
        spentInCredits ? "\(aiCredits.amount.reported) cr" : premiumRequests.description
    }

    /// Whether any of its requests were billed in AI credits.
    var spentInCredits: Bool { aiCredits != .zero || tokens != .zero }

    /// What sessions spent together, in the units they spent in: `3 premium requests`,
    /// `12.40 AI credits`, or both.
    public static func spent(by summaries: [SessionSummary]) -> String {
        let premium = summaries.reduce(PremiumRequests.zero) { $0 + $1.premiumRequests }
        let credits = summaries.reduce(AICredits.zero) { $0 + $1.aiCredits }
        let inCredits = summaries.contains(where: \.spentInCredits)
        switch (premium == .zero && inCredits, inCredits) {
        case (true, _): return credits.amount.counted
        case (false, true): return "\(premium.counted) and \(credits.amount.counted)"
        case (false, false): return premium.counted
        }
    }

    /// What the session spent, in the units it spent in: `2 premium requests`, `12.40 AI credits`.
    public var spent: String { Self.spent(by: [self]) }

    enum CodingKeys: String, CodingKey {
        case id, state, reason, org, repository, issue, title, body, agent, assigner, model, priority, worker, outputs
        case follows, feedback
        case pullRequest = "pull_request"
        case actualModel = "actual_model"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case cancelRequestedAt = "cancel_requested_at"
        case premiumRequests = "premium_requests"
        case aiCredits = "ai_credits"
        case tokens, requests, figure
        case modelRequests = "model_requests"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(session.id, forKey: .id)
        try container.encode(session.state, forKey: .state)
        try container.encodeIfPresent(session.reason, forKey: .reason)
        try container.encode(session.org, forKey: .org)
        try container.encode(session.repository, forKey: .repository)
        try container.encode(session.issue, forKey: .issue)
        try container.encode(session.title, forKey: .title)
        try container.encode(session.agent, forKey: .agent)
        try container.encode(session.assigner, forKey: .assigner)
        try container.encode(session.model, forKey: .model)
        try container.encode(session.priority, forKey: .priority)
        try container.encode(premiumRequests, forKey: .premiumRequests)
        try container.encode(aiCredits, forKey: .aiCredits)
        try container.encode(figure, forKey: .figure)
        try container.encode(tokens, forKey: .tokens)
        if !requests.isEmpty { try container.encode(requests, forKey: .requests) }
        try container.encode(modelRequests, forKey: .modelRequests)
        try container.encode(session.createdAt.formatted(.iso8601), forKey: .createdAt)
        try container.encode(session.updatedAt.formatted(.iso8601), forKey: .updatedAt)
        try container.encode(session.body, forKey: .body)
        try container.encodeIfPresent(session.actualModel, forKey: .actualModel)
        try container.encodeIfPresent(session.worker, forKey: .worker)
        try container.encodeIfPresent(session.startedAt?.formatted(.iso8601), forKey: .startedAt)
        try container.encodeIfPresent(session.finishedAt?.formatted(.iso8601), forKey: .finishedAt)
        try container.encodeIfPresent(session.cancelRequestedAt?.formatted(.iso8601), forKey: .cancelRequestedAt)
        try container.encodeIfPresent(session.follows, forKey: .follows)
        try container.encodeIfPresent(session.feedback, forKey: .feedback)
        // DESIGN §3: the pull request at the top level, as well as among the outputs.
        try container.encodeIfPresent(session.outputs.pullRequest, forKey: .pullRequest)
        if !session.outputs.isEmpty { try container.encode(session.outputs, forKey: .outputs) }
    }

    /// `3m`, `2h5m`, `4d`: how long ago `date` was, for the AGE column.
    public static func age(since date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86_400: return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
        default: return "\(seconds / 86_400)d"
        }
    }

    /// One row per session: id, state, org, repository, issue, agent, model, premium requests, age.
    public static func table(_ summaries: [SessionSummary], now: Date) -> String {
        var table = TextTable(
            headers: ["ID", "STATE", "ORG", "REPOSITORY", "ISSUE", "AGENT", "MODEL", "PREMIUM", "AGE"],
            alignments: [.right, .left, .left, .left, .right, .left, .left, .right, .right])
        for summary in summaries {
            let session = summary.session
            table.append([
                "\(session.id)", session.state.rawValue, session.org, session.repository, "#\(session.issue)",
                session.agent, session.model,
                summary.figure,
                age(since: session.createdAt, now: now),
            ])
        }
        return table.render()
    }

    /// A state with its reason, said once: `failed (stopped by …)`, `cancelled by alice`, and
    /// `cancelled` rather than `cancelled (cancelled)`.
    static func stateText(_ state: String, reason: String?) -> String {
        guard let reason, !reason.isEmpty, reason != state else { return state }
        if reason.hasPrefix(state + " ") { return reason }
        return "\(state) (\(reason))"
    }

    /// Everything about one session, as `key: value` lines.
    public func details(now: Date) -> String {
        let session = self.session
        var lines = [
            "session      \(session.id)",
            "state        \(Self.stateText(session.state.rawValue, reason: session.reason))",
            "issue        \(session.repository)#\(session.issue)" + (session.title.isEmpty ? "" : " \(session.title)"),
            "agent        \(session.agent) on \(session.model)", "assigned by  \(session.assigner) in \(session.org)",
            "spent        \(spent) over \(pluralized(modelRequests, "model request"))",
            "created      \(session.createdAt.formatted(.iso8601)) (\(Self.age(since: session.createdAt, now: now)) ago)",
            "updated      \(session.updatedAt.formatted(.iso8601))",
        ]
        if let follows = session.follows {
            lines.append("follows      session \(follows)")
            if let feedback = session.feedback {
                lines.append("feedback")
                lines += feedback.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
            }
        }
        if tokens != .zero {
            lines.append(
                "tokens       \(tokens.input) in, \(tokens.cachedInput) cached, \(tokens.cacheWrite) cache-write, \(tokens.output) out"
            )
        }
        if let limit = session.premiumLimit { lines.append("cap          \(limit.counted)") }
        if let limit = session.creditLimit { lines.append("cap          \(limit.amount.counted)") }
        if let actual = session.actualModel { lines.append("runs on      \(actual) (fallback)") }
        if let worker = session.worker { lines.append("worker       \(worker)") }
        if let started = session.startedAt { lines.append("started      \(started.formatted(.iso8601))") }
        if let finished = session.finishedAt { lines.append("finished     \(finished.formatted(.iso8601))") }
        if let asked = session.cancelRequestedAt {
            lines.append("cancel       requested at \(asked.formatted(.iso8601))")
        }
        let outputs = session.outputs
        if let branch = outputs.branch {
            lines.append("branch       \(branch)" + (outputs.commit.map { " at \($0.prefix(12))" } ?? ""))
        } else if session.state.isFinal, session.startedAt != nil {
            lines.append("changes      none: the session changed no file, so it left no branch")
        }
        if let pull = outputs.pullRequest { lines.append("pull request #\(pull.number) \(pull.url)") }
        if let patch = outputs.patch { lines.append("patch        \(patch)") }
        if let worktree = outputs.worktree { lines.append("worktree     \(worktree) (kept)") }
        if let summary = outputs.summary, !summary.isEmpty {
            lines.append("summary")
            lines += summary.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        }
        if !requests.isEmpty {
            lines.append("requests")
            lines += requests.map { "  " + $0.line }
        }
        return lines.joined(separator: "\n")
    }
}

extension LedgerEvent {
    /// A budget alert as a sentence: `acme reached 75% of its budget (75 of 100 premium requests
    /// used)`; `nil` for other events.
    public var alertText: String? {
        guard case .budgetAlert(let threshold, let used, let limit) = payload else { return nil }
        return
            "\(org ?? "the organisation") reached \(threshold)% of its budget (\(used) of \(limit) \(limit.unit.noun) used)"
    }

    /// One readable line: time, kind, and the details in key order.
    public var line: String {
        let data = data
        let details = data.keys.sorted().map { "\($0)=\(data[$0]!)" }.joined(separator: " ")
        return "\(at.formatted(.iso8601))  \(kind)" + (details.isEmpty ? "" : "  \(details)")
    }
}
