import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    /// Checks and holds every scope in one READ COMMITTED transaction with row locks on the scope
    /// totals (DESIGN §5.1).
    ///
    /// The transaction first makes sure each scope's `budget_totals` row exists (`INSERT … ON
    /// CONFLICT DO NOTHING`), then locks those rows with `SELECT … FOR UPDATE` sorted by scope key
    /// and period, checks every limit against the locked figures and adds the hold. Every
    /// transaction that locks totals (reserve, commit, release, reclaim) locks them in that one
    /// order, so two reservations never deadlock: a second reserver of the same scope waits for
    /// the first to commit, then reads its hold. Why not SERIALIZABLE: under contention on one
    /// organisation's budget, most concurrent reservations would fail with serialization errors,
    /// and each failure is an error path that must be retried correctly (and bounded); with row
    /// locks they queue instead, each waits only for the transactions ahead of it on the same
    /// rows, and nothing is ever retried.
    ///
    /// The worker's lease row is held `FOR SHARE` meanwhile, so a reclaim of that lease waits for
    /// the reservation to commit and then releases it: no reservation outlives its lease.
    public func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome {
        try await transaction { transaction in
            let now = try await transaction.time(request.at)
            try await Self.requireLiveLease(transaction, worker: request.worker, at: now)
            if let other = request.scopes.first(where: { $0.unit != request.amount.unit }) {
                throw LedgerError.unitMismatch(scope: other.key.description, amount: request.amount.counted)
            }
            let keys = Self.lockOrder(request.scopes)
            try await transaction.execute(
                """
                INSERT INTO budget_totals (scope, period_start)
                SELECT scope, agentsched_at(period) FROM unnest(\(keys.map(\.scope)), \(keys.map(\.period)))
                    AS wanted(scope, period)
                ORDER BY scope COLLATE "C", period
                ON CONFLICT DO NOTHING
                """)
            let totals = try await Self.lockTotals(transaction, keys)
            for scope in request.scopes {
                let usage = totals.usage(of: scope)
                if request.amount.minorUnits > 0, let limit = scope.limit,
                    usage.used + usage.reserved + request.amount > limit
                {
                    return .exhausted(ScopeExhaustion(scope: scope, usage: usage, requested: request.amount))
                }
            }
            let context = request.context
            let periodStart =
                (request.scopes.first { $0.kind == .org } ?? request.scopes.first)?.periodStart ?? request.at
            let period = periodStart.ledgerMilliseconds
            guard
                let id = try await transaction.value(
                    ReservationID.self,
                    """
                    WITH reservation AS (
                        INSERT INTO reservations (session, worker, org, user_name, agent, repository, model_requested,
                            model_actual, kind, amount, unit, period_start, state, created_at)
                        VALUES (\(context.session), \(request.worker), \(context.org), \(context.user), \(context.agent),
                            \(context.repository), \(context.requestedModel), \(context.actualModel),
                            \(context.kind.rawValue), \(request.amount.minorUnits), \(request.amount.unit.rawValue),
                            agentsched_at(\(period)), 'open', agentsched_at(\(now)))
                        RETURNING id),
                    held AS (
                        UPDATE budget_totals SET reserved = reserved + \(request.amount.minorUnits)
                        FROM unnest(\(keys.map(\.scope)), \(keys.map(\.period))) AS wanted(scope, period)
                        WHERE budget_totals.scope = wanted.scope
                            AND budget_totals.period_start = agentsched_at(wanted.period)),
                    scopes AS (
                        INSERT INTO reservation_scopes (reservation, scope, period_start)
                        SELECT reservation.id, wanted.scope, agentsched_at(wanted.period)
                        FROM reservation, unnest(\(keys.map(\.scope)), \(keys.map(\.period))) AS wanted(scope, period))
                    SELECT id FROM reservation
                    """)
            else { throw LedgerError.corrupt("a new reservation was not returned") }
            transaction.insertEvent(
                .reserved(id, request.amount, context), session: context.session, org: context.org, at: now)
            return .reserved(
                Reservation(
                    id: id, context: context, amount: request.amount, worker: request.worker,
                    periodStart: periodStart, createdAt: transaction.reported(request.at, stamped: now)))
        }
    }

    public func commit(
        _ reservation: ReservationID, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int], delivering steering: Int64?
    ) async throws -> Charge {
        try await transaction { transaction in
            let open = try await Self.openReservation(transaction, reservation)
            let now = try await transaction.time(at)
            if let steering, try await Self.markDelivered(transaction, steering, at: now) == nil {
                throw LedgerError.alreadyDelivered(steering: steering)
            }
            guard amount.unit == open.amount.unit, amount <= open.amount, amount.minorUnits >= 0 else {
                throw LedgerError.chargeExceedsReservation(
                    id: reservation, reserved: open.amount.description, charged: amount.description)
            }
            try await Self.lockTotals(transaction, ofReservations: [reservation])
            let context = open.context
            guard
                let id = try await transaction.value(
                    Int64.self,
                    """
                    WITH resolved AS (
                        UPDATE reservations SET state = 'committed', resolved_at = agentsched_at(\(now))
                        WHERE id = \(reservation) AND state = 'open'),
                    totals AS (
                        UPDATE budget_totals SET reserved = reserved - \(open.amount.minorUnits),
                            used = used + \(amount.minorUnits)
                        FROM reservation_scopes held
                        WHERE held.reservation = \(reservation) AND budget_totals.scope = held.scope
                            AND budget_totals.period_start = held.period_start)
                    INSERT INTO charges (reservation, session, org, user_name, agent, repository, model_requested,
                        model_actual, kind, amount, unit, requests, input_tokens, cached_tokens, cache_write_tokens,
                        output_tokens, at, period_start)
                    VALUES (\(reservation), \(context.session), \(context.org), \(context.user), \(context.agent),
                        \(context.repository), \(context.requestedModel), \(context.actualModel), \(context.kind.rawValue),
                        \(amount.minorUnits), \(amount.unit.rawValue), \(requests), \(tokens.input), \(tokens.cachedInput),
                        \(tokens.cacheWrite), \(tokens.output), agentsched_at(\(now)),
                        agentsched_at(\(open.periodStart.ledgerMilliseconds)))
                    RETURNING id
                    """)
            else { throw LedgerError.corrupt("a new charge was not returned") }
            let charge = Charge(
                id: id, reservation: reservation, context: context, amount: amount, requests: requests,
                tokens: tokens, at: transaction.reported(at, stamped: now))
            transaction.insertEvent(
                .budgetCharged(
                    reservation: reservation, amount: amount, requests: requests,
                    refunded: amount < open.amount ? open.amount - amount : nil),
                session: context.session, org: context.org, at: now)
            if let orgLimit, orgLimit.unit == amount.unit, orgLimit.minorUnits > 0, !alerts.isEmpty {
                try await Self.recordAlerts(
                    transaction, org: context.org, periodStart: open.periodStart, limit: orgLimit, thresholds: alerts,
                    at: now)
            }
            return charge
        }
    }

    public func release(_ reservation: ReservationID, reason: String, at: Date) async throws {
        try await transaction { transaction in
            let open = try await Self.openReservation(transaction, reservation)
            try await Self.lockTotals(transaction, ofReservations: [reservation])
            try await Self.release(transaction, open, reason: reason, at: try await transaction.time(at))
        }
    }

    /// Releases a reservation the caller's transaction holds open and whose totals it has locked.
    static func release(
        _ transaction: PostgresTransaction, _ open: Reservation, reason: String, at now: Int64
    )
        async throws
    {
        try await transaction.execute(
            """
            WITH resolved AS (
                UPDATE reservations SET state = 'released', resolved_at = agentsched_at(\(now)),
                    release_reason = \(reason)
                WHERE id = \(open.id) AND state = 'open')
            UPDATE budget_totals SET reserved = reserved - \(open.amount.minorUnits)
            FROM reservation_scopes held
            WHERE held.reservation = \(open.id) AND budget_totals.scope = held.scope
                AND budget_totals.period_start = held.period_start
            """)
        transaction.insertEvent(
            .budgetReleased(reservation: open.id, amount: open.amount, reason: reason), session: open.context.session,
            org: open.context.org, at: now)
    }

    public func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage] {
        try await transaction { transaction in
            let totals = try await Self.readTotals(transaction, Self.lockOrder(scopes), lock: false)
            return scopes.map(totals.usage(of:))
        }
    }

    public func openReservations() async throws -> [Reservation] {
        try await transaction { transaction in
            try await transaction.rows(
                "SELECT \(unescaped: Self.reservationColumns) FROM reservations WHERE state = 'open' ORDER BY id"
            ).map { try Self.reservation(from: $0).reservation }
        }
    }

    // MARK: Totals

    /// A scope's key and period (milliseconds): one row of `budget_totals`.
    struct TotalKey: Hashable, Comparable {
        var scope: String
        var period: Int64

        static func < (lhs: TotalKey, rhs: TotalKey) -> Bool { (lhs.scope, lhs.period) < (rhs.scope, rhs.period) }
    }

    /// Used and reserved per total row, as read.
    struct Totals {
        var figures: [TotalKey: (used: Int64, reserved: Int64)] = [:]

        func usage(of scope: BudgetScope) -> ScopeUsage {
            let figures = figures[TotalKey(scope: scope.key.description, period: scope.periodStart.ledgerMilliseconds)]
            return ScopeUsage(
                used: Amount(scope.unit, minorUnits: figures?.used ?? 0),
                reserved: Amount(scope.unit, minorUnits: figures?.reserved ?? 0))
        }
    }

    /// The distinct total rows of `scopes`, in lock order. Keys compare as PostgreSQL's "C"
    /// collation does (by UTF-8 bytes), so this order is the database's `ORDER BY … COLLATE "C"`.
    static func lockOrder(_ scopes: [BudgetScope]) -> [TotalKey] {
        Set(scopes.map { TotalKey(scope: $0.key.description, period: $0.periodStart.ledgerMilliseconds) }).sorted {
            $0.scope == $1.scope ? $0.period < $1.period : $0.scope.utf8.lexicographicallyPrecedes($1.scope.utf8)
        }
    }

    /// Locks the total rows `keys` names, in lock order, and reads them.
    static func lockTotals(_ transaction: PostgresTransaction, _ keys: [TotalKey]) async throws -> Totals {
        try await readTotals(transaction, keys, lock: true)
    }

    static func readTotals(_ transaction: PostgresTransaction, _ keys: [TotalKey], lock: Bool) async throws -> Totals {
        let rows =
            if lock {
                try await transaction.rows(
                    """
                    SELECT scope, agentsched_ms(period_start), used, reserved FROM budget_totals
                    WHERE (scope, period_start) IN (
                        SELECT scope, agentsched_at(period) FROM unnest(\(keys.map(\.scope)), \(keys.map(\.period)))
                            AS wanted(scope, period))
                    ORDER BY scope COLLATE "C", period_start
                    FOR UPDATE
                    """)
            } else {
                try await transaction.rows(
                    """
                    SELECT scope, agentsched_ms(period_start), used, reserved FROM budget_totals
                    WHERE (scope, period_start) IN (
                        SELECT scope, agentsched_at(period) FROM unnest(\(keys.map(\.scope)), \(keys.map(\.period)))
                            AS wanted(scope, period))
                    """)
            }
        var totals = Totals()
        for row in rows {
            let (scope, period, used, reserved) = try row.decode((String, Int64, Int64, Int64).self)
            totals.figures[TotalKey(scope: scope, period: period)] = (used, reserved)
        }
        return totals
    }

    /// Locks, in lock order, every total row the reservations are held under: before any of them
    /// is changed, so that commits, releases and reclaims keep the order reservations lock in.
    static func lockTotals(
        _ transaction: PostgresTransaction, ofReservations reservations: [ReservationID]
    ) async throws {
        try await transaction.execute(
            """
            SELECT 1 FROM budget_totals
            WHERE (scope, period_start) IN (
                SELECT scope, period_start FROM reservation_scopes WHERE reservation = ANY(\(reservations)))
            ORDER BY scope COLLATE "C", period_start
            FOR UPDATE
            """)
    }

    // MARK: Reservations

    /// The open reservation `id`, its row locked until the transaction ends; throws when it is
    /// unknown or already resolved (a second commit of one reservation waits, then finds it resolved).
    static func openReservation(_ transaction: PostgresTransaction, _ id: ReservationID) async throws -> Reservation {
        guard
            let row = try await transaction.row(
                "SELECT \(unescaped: reservationColumns) FROM reservations WHERE id = \(id) FOR UPDATE")
        else { throw LedgerError.noSuchReservation(id) }
        let (reservation, state) = try self.reservation(from: row)
        guard state == "open" else { throw LedgerError.reservationResolved(id: id, state: state) }
        return reservation
    }

    /// The columns `reservation(from:)` reads, in its order.
    static let reservationColumns = """
        id, session, org, user_name, agent, repository, model_requested, model_actual, kind, amount, unit, worker,
        agentsched_ms(period_start), agentsched_ms(created_at), state
        """

    /// A reservation and its state from a row of `reservationColumns`; throws `corrupt` on an
    /// unknown kind or unit.
    static func reservation(from row: PostgresRow) throws -> (reservation: Reservation, state: String) {
        let (id, session, org, user, agent, repository, requested, actual, kind, amount, unit, worker) =
            try row.decode(
                (
                    ReservationID, SessionID?, String, String, String, String, String, String, String, Int64, String,
                    WorkerID
                ).self)
        let cells = row.makeRandomAccess()
        let periodStart = try cells[12].decode(Int64.self)
        let createdAt = try cells[13].decode(Int64.self)
        let state = try cells[14].decode(String.self)
        let reservation = Reservation(
            id: id,
            context: ChargeContext(
                session: session, org: org, user: user, agent: agent, repository: repository,
                requestedModel: requested, actualModel: actual,
                kind: try decoded(ChargeKind.self, kind, column: "reservations.kind")),
            amount: Amount(try decoded(BillingUnit.self, unit, column: "reservations.unit"), minorUnits: amount),
            worker: worker, periodStart: Date(ledgerMilliseconds: periodStart),
            createdAt: Date(ledgerMilliseconds: createdAt))
        return (reservation, state)
    }

    /// The columns `charge(from:)` reads, in its order.
    static let chargeColumns = """
        id, reservation, session, org, user_name, agent, repository, model_requested, model_actual, kind, amount, unit,
        requests, input_tokens, cached_tokens, cache_write_tokens, output_tokens, agentsched_ms(at)
        """

    /// A charge from a row of `chargeColumns`; throws `corrupt` on an unknown kind or unit.
    static func charge(from row: PostgresRow) throws -> Charge {
        let (id, reservation, session, org, user, agent, repository, requested, actual, kind, amount, unit) =
            try row.decode(
                (
                    Int64, ReservationID, SessionID?, String, String, String, String, String, String, String, Int64,
                    String
                ).self)
        let cells = row.makeRandomAccess()
        let requests = try cells[12].decode(Int.self)
        let tokens = TokenCounts(
            input: try cells[13].decode(Int.self), cachedInput: try cells[14].decode(Int.self),
            cacheWrite: try cells[15].decode(Int.self), output: try cells[16].decode(Int.self))
        return Charge(
            id: id, reservation: reservation,
            context: ChargeContext(
                session: session, org: org, user: user, agent: agent, repository: repository,
                requestedModel: requested, actualModel: actual,
                kind: try decoded(ChargeKind.self, kind, column: "charges.kind")),
            amount: Amount(try decoded(BillingUnit.self, unit, column: "charges.unit"), minorUnits: amount),
            requests: requests, tokens: tokens, at: Date(ledgerMilliseconds: try cells[17].decode(Int64.self)))
    }

    // MARK: Alerts

    /// Records each threshold the organisation's committed spend has reached, once per period.
    static func recordAlerts(
        _ transaction: PostgresTransaction, org: String, periodStart: Date, limit: Amount, thresholds: [Int],
        at now: Int64
    ) async throws {
        let scope = BudgetScope(
            kind: .org, name: org, unit: limit.unit, limit: limit, periodStart: periodStart, periodEnd: nil)
        let period = periodStart.ledgerMilliseconds
        let used =
            try await transaction.value(
                Int64.self,
                "SELECT used FROM budget_totals WHERE scope = \(scope.key.description) AND period_start = agentsched_at(\(period))"
            )
            ?? 0
        let percent = used.multipliedSaturating(by: 100) / limit.minorUnits
        for threshold in thresholds where percent >= threshold {
            let inserted = try await transaction.row(
                """
                INSERT INTO alerts (org, period_start, threshold) VALUES (\(org), agentsched_at(\(period)), \(threshold))
                ON CONFLICT DO NOTHING RETURNING threshold
                """)
            guard inserted != nil else { continue }
            transaction.insertEvent(
                .budgetAlert(threshold: threshold, used: Amount(limit.unit, minorUnits: used), limit: limit),
                session: nil, org: org, at: now)
        }
    }
}
