import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    public func createSession(_ new: NewSession, at: Date) async throws -> SessionRecord {
        try await write { db in try Self.insertSession(db, new, at: at) }
    }

    /// Inserts a session and its `session.created` event inside the caller's transaction.
    static func insertSession(_ db: Database, _ new: NewSession, at: Date) throws -> SessionRecord {
        guard (new.follows == nil) == (new.feedback == nil) else {
            throw LedgerError.invalidValue("a follow-up needs both the session it follows and its feedback")
        }
        if let follows = new.follows, try !fetchSessionExists(db, follows) {
            throw LedgerError.noSuchSession(follows)
        }
        let now = at.millisecondsSince1970
        try db.executeCached(
            sql: """
                INSERT INTO sessions (org, repository, issue, title, body, agent, assigner, model, state, reason,
                    priority, premium_limit, credit_limit, created_at, updated_at, finished_at, follows, feedback)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.org, new.repository, new.issue, new.title, new.body, new.agent, new.assigner, new.model,
                new.state.rawValue, new.reason, new.priority, new.premiumLimit?.thousandths,
                new.creditLimit?.nanocredits, now, now,
                new.state.isFinal ? now : nil, new.follows, new.feedback,
            ])
        let id = db.lastInsertedRowID
        try insertEvent(
            db,
            .sessionCreated(
                state: new.state, agent: new.agent, issue: new.issue, reason: new.reason, follows: new.follows),
            session: SessionID(id), org: new.org, at: at)
        return try fetchSession(db, SessionID(id))!
    }

    public func session(_ id: SessionID) async throws -> SessionRecord? {
        try await read { db in try Self.fetchSession(db, id) }
    }

    public func sessions(in states: Set<SessionState>) async throws -> [SessionRecord] {
        try await read { db in
            let rows: [Row]
            if states.isEmpty {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY created_at, id")
            } else {
                let marks = Array(repeating: "?", count: states.count).joined(separator: ",")
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM sessions WHERE state IN (\(marks)) ORDER BY created_at, id",
                    arguments: StatementArguments(states.map(\.rawValue).sorted()))
            }
            return try rows.map(Self.session(from:))
        }
    }

    @discardableResult
    public func transition(
        _ session: SessionID, to state: SessionState, reason: String?, worker: WorkerID?, at: Date
    ) async throws -> SessionRecord {
        try await write { db in
            try Self.transition(db, session: session, to: state, reason: reason, worker: worker, at: at)
        }
    }

    /// Moves a session inside the caller's transaction.
    ///
    /// A worker moving a session another worker holds is refused. Entering an active state sets
    /// the worker; leaving one clears it, and a final state clears any cancel request.
    static func transition(
        _ db: Database, session: SessionID, to state: SessionState, reason: String?, worker: WorkerID?, at: Date
    ) throws -> SessionRecord {
        guard let current = try fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
        guard current.state.successors.contains(state) else {
            throw LedgerError.invalidTransition(session: session, from: current.state, to: state)
        }
        if let worker, let holder = current.worker, holder != worker {
            throw LedgerError.heldByOtherWorker(session: session, worker: holder)
        }
        let now = at.millisecondsSince1970
        try db.executeCached(
            sql: """
                UPDATE sessions SET state = ?, reason = ?, worker = ?, updated_at = ?,
                    started_at = CASE WHEN ? THEN coalesce(started_at, ?) ELSE started_at END,
                    finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
                    cancel_requested_at = CASE WHEN ? THEN NULL ELSE cancel_requested_at END
                WHERE id = ?
                """,
            arguments: [
                state.rawValue, reason, state.isActive ? worker : nil, now, state == .running, now, state.isFinal, now,
                state.isFinal, session,
            ])
        try insertEvent(
            db, .sessionState(from: current.state, to: state, reason: reason, worker: worker), session: session,
            org: current.org, at: at)
        return try fetchSession(db, session)!
    }

    public func recordOutputs(_ session: SessionID, _ outputs: SessionOutputs, at: Date) async throws {
        try await write { db in
            guard let current = try Self.fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
            try db.executeCached(
                sql: """
                    UPDATE sessions SET branch = ?, commit_id = ?, patch = ?, worktree = ?, summary = ?, pr_number = ?,
                        pr_url = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    outputs.branch, outputs.commit, outputs.patch, outputs.worktree, outputs.summary,
                    outputs.pullRequest?.number, outputs.pullRequest?.url, at.millisecondsSince1970, session,
                ])
            try Self.insertEvent(db, outputs.event, session: session, org: current.org, at: at)
        }
    }

    public func recordActualModel(_ session: SessionID, model: String, reason: String, at: Date) async throws {
        try await write { db in
            guard let current = try Self.fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
            try db.executeCached(
                sql: "UPDATE sessions SET actual_model = ?, updated_at = ? WHERE id = ?",
                arguments: [model, at.millisecondsSince1970, session])
            try Self.insertEvent(
                db, .sessionFallback(from: current.model, to: model, reason: reason), session: session,
                org: current.org, at: at)
        }
    }

    public func record(_ payload: EventPayload, session: SessionID?, org: String?, at: Date) async throws {
        try await write { db in
            if let session, try Self.fetchSessionExists(db, session) == false {
                throw LedgerError.noSuchSession(session)
            }
            try Self.insertEvent(db, payload, session: session, org: org, at: at)
        }
    }

    public func record(_ events: [NewEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write { db in
            for event in events {
                try Self.insertEvent(db, event.payload, session: event.session, org: event.org, at: event.at)
            }
        }
    }

    public func alerts(org: String?, since: Date, after afterID: Int64) async throws -> [LedgerEvent] {
        try await read { db in
            var arguments: StatementArguments = [EventKind.budgetAlert.rawValue, afterID, since.millisecondsSince1970]
            if let org { arguments += [org] }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM events WHERE kind = ? AND session IS NULL AND id > ? AND at >= ?"
                    + (org == nil ? "" : " AND org = ?") + " ORDER BY id",
                arguments: arguments)
            return try rows.map(Self.event(from:))
        }
    }

    public func events(session: SessionID?, after afterID: Int64) async throws -> [LedgerEvent] {
        try await read { db in
            let rows =
                if let session {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM events WHERE session = ? AND id > ? ORDER BY id",
                        arguments: [session, afterID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM events WHERE id > ? ORDER BY id", arguments: [afterID])
                }
            return try rows.map(Self.event(from:))
        }
    }

    /// Decodes an event row; an unknown kind, or data its kind does not have, throws `corrupt`.
    static func event(from row: Row) throws -> LedgerEvent {
        LedgerEvent(
            id: row["id"], session: row["session"], org: row["org"], at: Date(millisecondsSince1970: row["at"]),
            payload: try EventPayload(
                kind: try decoded(EventKind.self, row["kind"], column: "events.kind"),
                fields: FlatJSON.decode(row["data"])))
    }

    public func latestEventID() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") ?? 0 }
    }

    static func fetchSessionExists(_ db: Database, _ id: SessionID) throws -> Bool {
        try db.fetchOneCached(sql: "SELECT 1 FROM sessions WHERE id = ?", arguments: [id]) != nil
    }

    static func fetchSession(_ db: Database, _ id: SessionID) throws -> SessionRecord? {
        try db.fetchOneCached(sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map(session(from:))
    }

    /// Decodes a session row; an unknown state throws `corrupt`, never a guess.
    static func session(from row: Row) throws -> SessionRecord {
        func date(_ column: String) -> Date? {
            (row[column] as Int64?).map(Date.init(millisecondsSince1970:))
        }
        return SessionRecord(
            id: row["id"], org: row["org"], repository: row["repository"], issue: row["issue"], title: row["title"],
            agent: row["agent"], assigner: row["assigner"], model: row["model"],
            state: try decoded(SessionState.self, row["state"], column: "sessions.state"), reason: row["reason"],
            priority: row["priority"],
            premiumLimit: (row["premium_limit"] as Int64?).map(PremiumRequests.init(thousandths:)),
            creditLimit: (row["credit_limit"] as Int64?).map(AICredits.init(nanocredits:)),
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            updatedAt: Date(millisecondsSince1970: row["updated_at"]), worker: row["worker"], body: row["body"],
            actualModel: row["actual_model"], cancelRequestedAt: date("cancel_requested_at"),
            startedAt: date("started_at"), finishedAt: date("finished_at"),
            outputs: SessionOutputs(
                branch: row["branch"], commit: row["commit_id"], patch: row["patch"], worktree: row["worktree"],
                summary: row["summary"],
                pullRequest: (row["pr_number"] as Int?).map { PullRequestLink(number: $0, url: row["pr_url"] ?? "") }),
            follows: row["follows"], feedback: row["feedback"])
    }
}
