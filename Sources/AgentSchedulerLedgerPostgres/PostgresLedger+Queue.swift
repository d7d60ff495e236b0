import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    /// Claims under one transaction-scoped advisory lock (`PostgresLocks.claims`), then picks
    /// sessions with `FOR UPDATE SKIP LOCKED`.
    ///
    /// Why one lock rather than row locks per organisation: the fair-share order is one global
    /// order (the `fair_share` stamps come from one counter every claim advances), and which
    /// organisations a claim touches is known only after reading the queue. Under the lock, a
    /// claim reads the held counts after every earlier claim committed, so two workers can never
    /// both take an organisation's last slot, on any host; claims are short (a few statements),
    /// so taking turns costs little. `SKIP LOCKED` passes over a session that another transaction
    /// is moving at that moment (a cancel, say) instead of waiting for it; once locked, a session
    /// is re-checked to be unclaimed and waiting, so it is never claimed twice.
    public func claim(_ request: ClaimRequest) async throws -> [SessionRecord] {
        guard request.slots > 0 else { return [] }
        return try await transaction { transaction in
            let now = try await transaction.time(request.at)
            try await Self.requireLiveLease(transaction, worker: request.worker, at: now)
            try await transaction.execute("SELECT pg_advisory_xact_lock(\(PostgresLocks.claims))")
            var counts = try await Self.activeCounts(transaction)
            let heads = try await Self.queueHeads(transaction, perUser: request.slots)
            let lockable = Set(
                try await transaction.values(
                    SessionID.self,
                    """
                    SELECT id FROM sessions
                    WHERE id = ANY(\(heads.map(\.id))) AND worker IS NULL AND state IN ('queued', 'interrupted')
                    FOR UPDATE SKIP LOCKED
                    """))
            var served: [String: Int64] = [:]
            for row in try await transaction.rows("SELECT key, served FROM fair_share") {
                let (key, stamp) = try row.decode((String, Int64).self)
                served[key] = max(served[key] ?? stamp, stamp)
            }
            var queue = FairShareQueue(candidates: heads.filter { lockable.contains($0.id) }, served: served)
            var claimed: [SessionRecord] = []
            while claimed.count < request.slots,
                let next = queue.next(fitting: { candidate in
                    counts.limitReached(
                        org: candidate.org, repository: candidate.repository, user: candidate.user,
                        limits: request.limits[candidate.org]) == nil
                })
            {
                counts.add(org: next.org, repository: next.repository, user: next.user)
                guard
                    let row = try await transaction.row(
                        """
                        UPDATE sessions SET worker = \(request.worker), updated_at = agentsched_at(\(now))
                        WHERE id = \(next.id) AND worker IS NULL
                        RETURNING \(unescaped: Self.sessionColumns)
                        """)
                else { continue }
                transaction.insertEvent(
                    .sessionClaimed(worker: request.worker), session: next.id, org: next.org, at: now)
                claimed.append(try Self.session(from: row))
            }
            let stamps = queue.changedStamps.sorted { $0.key < $1.key }
            if !stamps.isEmpty {
                try await transaction.execute(
                    """
                    INSERT INTO fair_share (key, served)
                    SELECT * FROM unnest(\(stamps.map(\.key)), \(stamps.map(\.value)))
                    ON CONFLICT (key) DO UPDATE SET served = excluded.served
                    """)
            }
            return claimed
        }
    }

    public func unclaim(_ sessions: [SessionID], worker: WorkerID, at: Date) async throws {
        guard !sessions.isEmpty else { return }
        try await transaction { transaction in
            let now = try await transaction.time(at)
            try await transaction.execute(
                """
                UPDATE sessions SET worker = NULL, updated_at = agentsched_at(\(now))
                WHERE id = ANY(\(sessions)) AND worker = \(worker) AND state IN ('queued', 'interrupted')
                """)
        }
    }

    public func stateCounts() async throws -> [SessionState: Int] {
        try await transaction { transaction in
            var counts: [SessionState: Int] = [:]
            for row in try await transaction.rows("SELECT state, count(*) FROM sessions GROUP BY state") {
                let (state, count) = try row.decode((String, Int64).self)
                counts[try Self.decoded(SessionState.self, state, column: "sessions.state")] = Int(count)
            }
            return counts
        }
    }

    public func activeCounts() async throws -> ActiveCounts {
        try await transaction { transaction in try await Self.activeCounts(transaction) }
    }

    static func activeCounts(_ transaction: PostgresTransaction) async throws -> ActiveCounts {
        var counts = ActiveCounts()
        let rows = try await transaction.rows(
            """
            SELECT org, repository, assigner, count(*) FROM sessions
            WHERE worker IS NOT NULL GROUP BY org, repository, assigner
            """)
        for row in rows {
            let (org, repository, user, count) = try row.decode((String, String, String, Int64).self)
            counts.add(org: org, repository: repository, user: user, count: Int(count))
        }
        return counts
    }

    /// The first `perUser` unclaimed sessions of every organisation and user, in serving order.
    static func queueHeads(
        _ transaction: PostgresTransaction, perUser: Int
    ) async throws
        -> [FairShareQueue.Candidate]
    {
        try await transaction.rows(
            """
            SELECT id, org, repository, assigner FROM (
                SELECT id, org, repository, assigner, row_number() OVER (
                    PARTITION BY org, assigner ORDER BY priority DESC, created_at, id) AS place
                FROM sessions
                WHERE worker IS NULL AND state IN ('queued', 'interrupted')) AS waiting
            WHERE place <= \(perUser) ORDER BY org, assigner, place
            """
        ).map { row in
            let (id, org, repository, user) = try row.decode((SessionID, String, String, String).self)
            return FairShareQueue.Candidate(id: id, org: org, repository: repository, user: user)
        }
    }

    public func requestCancel(_ session: SessionID, by user: String?, at: Date) async throws -> CancelOutcome {
        try await transaction { transaction in
            guard let current = try await Self.fetchSession(transaction, session, forUpdate: true) else {
                throw LedgerError.noSuchSession(session)
            }
            if current.state.isFinal { return .alreadyFinal(current) }
            let reason = "cancelled" + (user.map { " by \($0)" } ?? "")
            if current.worker == nil {
                return .cancelled(
                    try await Self.transition(
                        transaction, session: session, to: .cancelled, reason: reason, worker: nil, at: at))
            }
            let now = try await transaction.time(at)
            guard
                let row = try await transaction.row(
                    """
                    UPDATE sessions SET cancel_requested_at = coalesce(cancel_requested_at, agentsched_at(\(now)))
                    WHERE id = \(session)
                    RETURNING \(unescaped: Self.sessionColumns)
                    """)
            else { throw LedgerError.noSuchSession(session) }
            transaction.insertEvent(
                .sessionCancelRequested(worker: current.worker, by: user), session: session, org: current.org, at: now)
            return .requested(try Self.session(from: row))
        }
    }

    public func steer(_ session: SessionID, message: String, by user: String?, at: Date) async throws -> Int64 {
        try await transaction { transaction in
            guard let current = try await Self.fetchSession(transaction, session, forUpdate: true) else {
                throw LedgerError.noSuchSession(session)
            }
            guard !current.state.isFinal else {
                throw LedgerError.sessionFinal(session: session, state: current.state)
            }
            let now = try await transaction.time(at)
            guard
                let id = try await transaction.value(
                    Int64.self,
                    """
                    INSERT INTO steering (session, message, sender, at)
                    VALUES (\(session), \(message), \(user), agentsched_at(\(now)))
                    RETURNING id
                    """)
            else { throw LedgerError.corrupt("a new steering message was not returned") }
            transaction.insertEvent(
                .sessionSteerRequested(steering: id, message: message, by: user), session: session, org: current.org,
                at: now)
            return id
        }
    }

    public func controls(worker: WorkerID) async throws -> WorkerControls {
        try await transaction { transaction in
            let cancels = try await transaction.values(
                SessionID.self,
                """
                SELECT id FROM sessions WHERE worker = \(worker) AND cancel_requested_at IS NOT NULL ORDER BY id
                """)
            let steering = try await transaction.rows(
                """
                SELECT steering.id, steering.session, steering.message, steering.sender, agentsched_ms(steering.at)
                FROM steering JOIN sessions ON sessions.id = steering.session
                WHERE steering.delivered_at IS NULL AND sessions.worker = \(worker) ORDER BY steering.id
                """
            ).map { row in
                let (id, session, message, sender, at) = try row.decode((Int64, SessionID, String, String?, Int64).self)
                return SteeringMessage(
                    id: id, session: session, message: message, sender: sender, at: Date(ledgerMilliseconds: at))
            }
            return WorkerControls(cancels: cancels, steering: steering)
        }
    }

    public func markDelivered(_ message: Int64, refusal: String?, at: Date) async throws -> Bool {
        try await transaction { transaction in
            let now = try await transaction.time(at)
            guard let session = try await Self.markDelivered(transaction, message, at: now) else { return false }
            if let refusal {
                transaction.insertEvent(
                    .sessionSteerRefused(steering: message, reason: refusal), session: session, org: nil, at: now)
            }
            return true
        }
    }

    /// Marks a steering message delivered inside the caller's transaction; its session, or `nil`
    /// when it was delivered before or does not exist. Concurrent callers take turns on the row:
    /// exactly one of them marks it.
    static func markDelivered(
        _ transaction: PostgresTransaction, _ message: Int64, at now: Int64
    ) async throws
        -> SessionID?
    {
        try await transaction.value(
            SessionID.self,
            """
            UPDATE steering SET delivered_at = agentsched_at(\(now))
            WHERE id = \(message) AND delivered_at IS NULL
            RETURNING session
            """)
    }

    public func charges(session: SessionID) async throws -> [Charge] {
        try await transaction { transaction in
            try await transaction.rows(
                "SELECT \(unescaped: Self.chargeColumns) FROM charges WHERE session = \(session) ORDER BY id"
            ).map(Self.charge(from:))
        }
    }
}
