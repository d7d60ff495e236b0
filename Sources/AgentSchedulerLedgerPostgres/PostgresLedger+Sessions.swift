import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    public func createSession(_ new: NewSession, at: Date) async throws -> SessionRecord {
        try await transaction { transaction in try await Self.insertSession(transaction, new, at: at) }
    }

    /// Inserts a session and its `session.created` event inside the caller's transaction.
    static func insertSession(
        _ transaction: PostgresTransaction, _ new: NewSession, at: Date
    ) async throws
        -> SessionRecord
    {
        guard (new.follows == nil) == (new.feedback == nil) else {
            throw LedgerError.invalidValue("a follow-up needs both the session it follows and its feedback")
        }
        if let follows = new.follows, try await !sessionExists(transaction, follows) {
            throw LedgerError.noSuchSession(follows)
        }
        let now = try await transaction.time(at)
        let finished: Int64? = new.state.isFinal ? now : nil
        guard
            let row = try await transaction.row(
                """
                INSERT INTO sessions (org, repository, issue, title, body, agent, assigner, model, state, reason,
                    priority, premium_limit, credit_limit, created_at, updated_at, finished_at, follows, feedback)
                VALUES (\(new.org), \(new.repository), \(new.issue), \(new.title), \(new.body), \(new.agent),
                    \(new.assigner), \(new.model), \(new.state.rawValue), \(new.reason), \(new.priority),
                    \(new.premiumLimit?.thousandths), \(new.creditLimit?.nanocredits), agentsched_at(\(now)),
                    agentsched_at(\(now)), agentsched_at(\(finished)), \(new.follows), \(new.feedback))
                RETURNING \(unescaped: sessionColumns)
                """)
        else { throw LedgerError.corrupt("a new session was not returned") }
        let session = try self.session(from: row)
        transaction.insertEvent(
            .sessionCreated(
                state: new.state, agent: new.agent, issue: new.issue, reason: new.reason, follows: new.follows),
            session: session.id, org: new.org, at: now)
        return session
    }

    public func session(_ id: SessionID) async throws -> SessionRecord? {
        try await transaction { transaction in try await Self.fetchSession(transaction, id) }
    }

    public func sessions(in states: Set<SessionState>) async throws -> [SessionRecord] {
        try await transaction { transaction in
            let rows =
                if states.isEmpty {
                    try await transaction.rows(
                        "SELECT \(unescaped: Self.sessionColumns) FROM sessions ORDER BY created_at, id")
                } else {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.sessionColumns) FROM sessions WHERE state = ANY(\(states.map(\.rawValue)))
                        ORDER BY created_at, id
                        """)
                }
            return try rows.map(Self.session(from:))
        }
    }

    @discardableResult
    public func transition(
        _ session: SessionID, to state: SessionState, reason: String?, worker: WorkerID?, at: Date
    ) async throws -> SessionRecord {
        try await transaction { transaction in
            try await Self.transition(transaction, session: session, to: state, reason: reason, worker: worker, at: at)
        }
    }

    /// Moves a session inside the caller's transaction, holding its row until the end.
    ///
    /// A worker moving a session another worker holds is refused. Entering an active state sets
    /// the worker; leaving one clears it, and a final state clears any cancel request.
    static func transition(
        _ transaction: PostgresTransaction, session: SessionID, to state: SessionState, reason: String?,
        worker: WorkerID?, at: Date
    ) async throws -> SessionRecord {
        guard let current = try await fetchSession(transaction, session, forUpdate: true) else {
            throw LedgerError.noSuchSession(session)
        }
        guard current.state.successors.contains(state) else {
            throw LedgerError.invalidTransition(session: session, from: current.state, to: state)
        }
        if let worker, let holder = current.worker, holder != worker {
            throw LedgerError.heldByOtherWorker(session: session, worker: holder)
        }
        let now = try await transaction.time(at)
        let holder = state.isActive ? worker : nil
        guard
            let row = try await transaction.row(
                """
                UPDATE sessions SET state = \(state.rawValue), reason = \(reason), worker = \(holder),
                    updated_at = agentsched_at(\(now)),
                    started_at = CASE WHEN \(state == .running) THEN coalesce(started_at, agentsched_at(\(now)))
                        ELSE started_at END,
                    finished_at = CASE WHEN \(state.isFinal) THEN agentsched_at(\(now)) ELSE finished_at END,
                    cancel_requested_at = CASE WHEN \(state.isFinal) THEN NULL ELSE cancel_requested_at END
                WHERE id = \(session)
                RETURNING \(unescaped: sessionColumns)
                """)
        else { throw LedgerError.noSuchSession(session) }
        transaction.insertEvent(
            .sessionState(from: current.state, to: state, reason: reason, worker: worker), session: session,
            org: current.org, at: now)
        return try self.session(from: row)
    }

    public func recordOutputs(_ session: SessionID, _ outputs: SessionOutputs, at: Date) async throws {
        try await transaction { transaction in
            guard let current = try await Self.fetchSession(transaction, session, forUpdate: true) else {
                throw LedgerError.noSuchSession(session)
            }
            let now = try await transaction.time(at)
            try await transaction.execute(
                """
                UPDATE sessions SET branch = \(outputs.branch), commit_id = \(outputs.commit), patch = \(outputs.patch),
                    worktree = \(outputs.worktree), summary = \(outputs.summary),
                    pr_number = \(outputs.pullRequest?.number), pr_url = \(outputs.pullRequest?.url),
                    updated_at = agentsched_at(\(now))
                WHERE id = \(session)
                """)
            transaction.insertEvent(outputs.event, session: session, org: current.org, at: now)
        }
    }

    public func recordActualModel(_ session: SessionID, model: String, reason: String, at: Date) async throws {
        try await transaction { transaction in
            guard let current = try await Self.fetchSession(transaction, session, forUpdate: true) else {
                throw LedgerError.noSuchSession(session)
            }
            let now = try await transaction.time(at)
            try await transaction.execute(
                "UPDATE sessions SET actual_model = \(model), updated_at = agentsched_at(\(now)) WHERE id = \(session)")
            transaction.insertEvent(
                .sessionFallback(from: current.model, to: model, reason: reason), session: session, org: current.org,
                at: now)
        }
    }

    // MARK: Events

    public func record(_ payload: EventPayload, session: SessionID?, org: String?, at: Date) async throws {
        try await transaction { transaction in
            if let session, try await !Self.sessionExists(transaction, session) {
                throw LedgerError.noSuchSession(session)
            }
            transaction.insertEvent(payload, session: session, org: org, at: try await transaction.time(at))
        }
    }

    public func record(_ events: [NewEvent]) async throws {
        guard !events.isEmpty else { return }
        try await transaction { transaction in
            for event in events {
                transaction.insertEvent(
                    event.payload, session: event.session, org: event.org, at: try await transaction.time(event.at))
            }
        }
    }

    public func alerts(org: String?, since: Date, after afterID: Int64) async throws -> [LedgerEvent] {
        try await transaction { transaction in
            let since = since.ledgerMilliseconds
            let rows =
                if let org {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.eventColumns) FROM events
                        WHERE kind = \(unescaped: PostgresSchema.budgetAlert) AND session IS NULL AND id > \(afterID)
                            AND at >= agentsched_at(\(since)) AND org = \(org)
                        ORDER BY id
                        """)
                } else {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.eventColumns) FROM events
                        WHERE kind = \(unescaped: PostgresSchema.budgetAlert) AND session IS NULL AND id > \(afterID)
                            AND at >= agentsched_at(\(since))
                        ORDER BY id
                        """)
                }
            return try rows.map(Self.event(from:))
        }
    }

    public func events(session: SessionID?, after afterID: Int64) async throws -> [LedgerEvent] {
        try await transaction { transaction in
            let rows =
                if let session {
                    try await transaction.rows(
                        """
                        SELECT \(unescaped: Self.eventColumns) FROM events WHERE session = \(session) AND id > \(afterID)
                        ORDER BY id
                        """)
                } else {
                    try await transaction.rows(
                        "SELECT \(unescaped: Self.eventColumns) FROM events WHERE id > \(afterID) ORDER BY id")
                }
            return try rows.map(Self.event(from:))
        }
    }

    public func latestEventID() async throws -> Int64 {
        try await transaction { transaction in
            try await transaction.value(Int64.self, "SELECT coalesce(max(id), 0) FROM events") ?? 0
        }
    }

    // MARK: Rows

    static func sessionExists(_ transaction: PostgresTransaction, _ id: SessionID) async throws -> Bool {
        try await transaction.row("SELECT 1 FROM sessions WHERE id = \(id)") != nil
    }

    /// A session by id; with `forUpdate`, its row stays locked until the transaction ends, so two
    /// writers of one session take turns as they do under SQLite's single writer.
    static func fetchSession(
        _ transaction: PostgresTransaction, _ id: SessionID, forUpdate: Bool = false
    ) async throws
        -> SessionRecord?
    {
        let row =
            if forUpdate {
                try await transaction.row(
                    "SELECT \(unescaped: sessionColumns) FROM sessions WHERE id = \(id) FOR UPDATE")
            } else {
                try await transaction.row("SELECT \(unescaped: sessionColumns) FROM sessions WHERE id = \(id)")
            }
        return try row.map(session(from:))
    }

    /// The columns `session(from:)` reads, times in milliseconds.
    static let sessionColumns = """
        id, org, repository, issue, title, agent, assigner, model, state, reason, priority, premium_limit,
        credit_limit, agentsched_ms(created_at) AS created_at, agentsched_ms(updated_at) AS updated_at, worker, body,
        actual_model, agentsched_ms(cancel_requested_at) AS cancel_requested_at,
        agentsched_ms(started_at) AS started_at, agentsched_ms(finished_at) AS finished_at, branch, commit_id, patch,
        worktree, summary, pr_number, pr_url, follows, feedback
        """

    /// A session from a row of `sessionColumns`; throws `corrupt` on an unknown state.
    static func session(from row: PostgresRow) throws -> SessionRecord {
        let cells = row.makeRandomAccess()
        func date(_ column: String) throws -> Date? {
            try cells[column].decode(Int64?.self).map(Date.init(ledgerMilliseconds:))
        }
        let prNumber = try cells["pr_number"].decode(Int?.self)
        let prURL = try cells["pr_url"].decode(String?.self)
        return SessionRecord(
            id: try cells["id"].decode(SessionID.self), org: try cells["org"].decode(String.self),
            repository: try cells["repository"].decode(String.self), issue: try cells["issue"].decode(Int.self),
            title: try cells["title"].decode(String.self), agent: try cells["agent"].decode(String.self),
            assigner: try cells["assigner"].decode(String.self), model: try cells["model"].decode(String.self),
            state: try decoded(SessionState.self, try cells["state"].decode(String.self), column: "sessions.state"),
            reason: try cells["reason"].decode(String?.self), priority: try cells["priority"].decode(Int.self),
            premiumLimit: try cells["premium_limit"].decode(Int64?.self).map(PremiumRequests.init(thousandths:)),
            creditLimit: try cells["credit_limit"].decode(Int64?.self).map(AICredits.init(nanocredits:)),
            createdAt: Date(ledgerMilliseconds: try cells["created_at"].decode(Int64.self)),
            updatedAt: Date(ledgerMilliseconds: try cells["updated_at"].decode(Int64.self)),
            worker: try cells["worker"].decode(WorkerID?.self), body: try cells["body"].decode(String.self),
            actualModel: try cells["actual_model"].decode(String?.self),
            cancelRequestedAt: try date("cancel_requested_at"), startedAt: try date("started_at"),
            finishedAt: try date("finished_at"),
            outputs: SessionOutputs(
                branch: try cells["branch"].decode(String?.self), commit: try cells["commit_id"].decode(String?.self),
                patch: try cells["patch"].decode(String?.self), worktree: try cells["worktree"].decode(String?.self),
                summary: try cells["summary"].decode(String?.self),
                pullRequest: prNumber.map { PullRequestLink(number: $0, url: prURL ?? "") }),
            follows: try cells["follows"].decode(SessionID?.self), feedback: try cells["feedback"].decode(String?.self))
    }

    /// The columns `event(from:)` reads, in its order.
    static let eventColumns = "id, session, org, agentsched_ms(at), kind, data::text"

    static func event(from row: PostgresRow) throws -> LedgerEvent {
        let (id, session, org, at, kind, data) = try row.decode(
            (Int64, SessionID?, String?, Int64, String, String).self)
        return LedgerEvent(
            id: id, session: session, org: org, at: Date(ledgerMilliseconds: at),
            payload: try EventPayload(
                kind: try decoded(EventKind.self, kind, column: "events.kind"), fields: try eventData(data)))
    }
}
