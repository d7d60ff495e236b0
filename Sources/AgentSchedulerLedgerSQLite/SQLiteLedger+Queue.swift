import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    public func claim(_ request: ClaimRequest) async throws -> [SessionRecord] {
        guard request.slots > 0 else { return [] }
        return try await write { db in
            try Self.requireLiveLease(db, worker: request.worker, at: request.at)
            var counts = try Self.activeCounts(db)
            var queue = try FairShareQueue(
                candidates: Self.queueHeads(db, perUser: request.slots),
                served: Dictionary(
                    try Row.fetchAll(db, sql: "SELECT key, served FROM fair_share").map { ($0[0], $0[1]) },
                    uniquingKeysWith: max))
            var claimed: [SessionRecord] = []
            while claimed.count < request.slots,
                let next = queue.next(fitting: { candidate in
                    counts.limitReached(
                        org: candidate.org, repository: candidate.repository, user: candidate.user,
                        limits: request.limits[candidate.org]) == nil
                })
            {
                counts.add(org: next.org, repository: next.repository, user: next.user)
                try db.executeCached(
                    sql: "UPDATE sessions SET worker = ?, updated_at = ? WHERE id = ? AND worker IS NULL",
                    arguments: [request.worker, request.at.millisecondsSince1970, next.id])
                try Self.insertEvent(
                    db, .sessionClaimed(worker: request.worker), session: next.id, org: next.org, at: request.at)
                claimed.append(try Self.fetchSession(db, next.id)!)
            }
            for (key, served) in queue.changedStamps {
                try db.executeCached(
                    sql: """
                        INSERT INTO fair_share (key, served) VALUES (?, ?)
                        ON CONFLICT (key) DO UPDATE SET served = excluded.served
                        """,
                    arguments: [key, served])
            }
            return claimed
        }
    }

    public func unclaim(_ sessions: [SessionID], worker: WorkerID, at: Date) async throws {
        try await write { db in
            for session in sessions {
                try db.executeCached(
                    sql: """
                        UPDATE sessions SET worker = NULL, updated_at = ?
                        WHERE id = ? AND worker = ? AND state IN ('queued', 'interrupted')
                        """,
                    arguments: [at.millisecondsSince1970, session, worker])
            }
        }
    }

    public func stateCounts() async throws -> [SessionState: Int] {
        try await read { db in
            var counts: [SessionState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM sessions GROUP BY state") {
                if let state = SessionState(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    public func activeCounts() async throws -> ActiveCounts {
        try await read { db in try Self.activeCounts(db) }
    }

    static func activeCounts(_ db: Database) throws -> ActiveCounts {
        var counts = ActiveCounts()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT org, repository, assigner, count(*) FROM sessions INDEXED BY sessions_held
                WHERE worker IS NOT NULL GROUP BY org, repository, assigner
                """)
        while let row = try rows.next() {
            counts.add(org: row[0], repository: row[1], user: row[2], count: row[3])
        }
        return counts
    }

    /// The first `perUser` unclaimed sessions of every organisation and user, in serving order.
    static func queueHeads(_ db: Database, perUser: Int) throws -> [FairShareQueue.Candidate] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, org, repository, assigner FROM (
                    SELECT id, org, repository, assigner, row_number() OVER (
                        PARTITION BY org, assigner ORDER BY priority DESC, created_at, id) AS place
                    FROM sessions INDEXED BY sessions_queue
                    WHERE worker IS NULL AND state IN ('queued', 'interrupted'))
                WHERE place <= ? ORDER BY org, assigner, place
                """,
            arguments: [perUser]
        ).map { FairShareQueue.Candidate(id: $0[0], org: $0[1], repository: $0[2], user: $0[3]) }
    }

    public func requestCancel(_ session: SessionID, by user: String?, at: Date) async throws -> CancelOutcome {
        try await write { db in
            guard let current = try Self.fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
            if current.state.isFinal { return .alreadyFinal(current) }
            let reason = "cancelled" + (user.map { " by \($0)" } ?? "")
            if current.worker == nil {
                return .cancelled(
                    try Self.transition(db, session: session, to: .cancelled, reason: reason, worker: nil, at: at))
            }
            try db.executeCached(
                sql: "UPDATE sessions SET cancel_requested_at = coalesce(cancel_requested_at, ?) WHERE id = ?",
                arguments: [at.millisecondsSince1970, session])
            try Self.insertEvent(
                db, .sessionCancelRequested(worker: current.worker, by: user), session: session, org: current.org,
                at: at)
            return .requested(try Self.fetchSession(db, session)!)
        }
    }

    public func steer(_ session: SessionID, message: String, by user: String?, at: Date) async throws -> Int64 {
        try await write { db in
            guard let current = try Self.fetchSession(db, session) else { throw LedgerError.noSuchSession(session) }
            guard !current.state.isFinal else {
                throw LedgerError.sessionFinal(session: session, state: current.state)
            }
            try db.executeCached(
                sql: "INSERT INTO steering (session, message, sender, at) VALUES (?, ?, ?, ?)",
                arguments: [session, message, user, at.millisecondsSince1970])
            let id = db.lastInsertedRowID
            try Self.insertEvent(
                db, .sessionSteerRequested(steering: id, message: message, by: user), session: session,
                org: current.org, at: at)
            return id
        }
    }

    public func controls(worker: WorkerID) async throws -> WorkerControls {
        try await read { db in
            let cancels = try SessionID.fetchAll(
                db,
                sql: """
                    SELECT id FROM sessions INDEXED BY sessions_held
                    WHERE worker = ? AND cancel_requested_at IS NOT NULL ORDER BY id
                    """,
                arguments: [worker])
            let steering = try Row.fetchAll(
                db,
                sql: """
                    SELECT steering.id, steering.session, steering.message, steering.sender, steering.at
                    FROM steering JOIN sessions ON sessions.id = steering.session
                    WHERE steering.delivered_at IS NULL AND sessions.worker = ? ORDER BY steering.id
                    """,
                arguments: [worker]
            ).map {
                SteeringMessage(
                    id: $0[0], session: $0[1], message: $0[2], sender: $0[3], at: Date(millisecondsSince1970: $0[4]))
            }
            return WorkerControls(cancels: cancels, steering: steering)
        }
    }

    public func markDelivered(_ message: Int64, refusal: String?, at: Date) async throws -> Bool {
        try await write { db in
            guard let session = try Self.deliverSteering(db, message, at: at) else { return false }
            if let refusal {
                try Self.insertEvent(
                    db, .sessionSteerRefused(steering: message, reason: refusal), session: session, org: nil, at: at)
            }
            return true
        }
    }

    /// Marks a steering message delivered inside the caller's transaction; returns its session,
    /// or `nil` when it was delivered already.
    static func deliverSteering(_ db: Database, _ message: Int64, at: Date) throws -> SessionID? {
        try SessionID.fetchOne(
            db,
            sql: "UPDATE steering SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL RETURNING session",
            arguments: [at.millisecondsSince1970, message])
    }

    public func charges(session: SessionID) async throws -> [Charge] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.chargeColumns) FROM charges WHERE session = ? ORDER BY id",
                arguments: [session]
            ).map { try Self.charge(from: $0) }
        }
    }
}
