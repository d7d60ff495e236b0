import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
    public func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome {
        try await write { db in
            try Self.requireLiveLease(db, worker: request.worker, at: request.at)
            if let other = request.scopes.first(where: { $0.unit != request.amount.unit }) {
                throw LedgerError.unitMismatch(scope: other.key.description, amount: request.amount.counted)
            }
            for scope in request.scopes {
                let usage = try Self.usage(db, scope: scope)
                if request.amount.minorUnits > 0, let limit = scope.limit,
                    usage.used + usage.reserved + request.amount > limit
                {
                    return .exhausted(ScopeExhaustion(scope: scope, usage: usage, requested: request.amount))
                }
            }
            let context = request.context
            let periodStart =
                (request.scopes.first { $0.kind == .org } ?? request.scopes.first)?.periodStart ?? request.at
            try db.executeCached(
                sql: """
                    INSERT INTO reservations (session, worker, org, user, agent, repository, model_requested,
                        model_actual, kind, amount, unit, period_start, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
                    """,
                arguments: [
                    context.session, request.worker, context.org, context.user, context.agent, context.repository,
                    context.requestedModel, context.actualModel, context.kind.rawValue, request.amount.minorUnits,
                    request.amount.unit.rawValue, periodStart.millisecondsSince1970, request.at.millisecondsSince1970,
                ])
            let id = db.lastInsertedRowID
            for scope in request.scopes {
                let period = scope.periodStart.millisecondsSince1970
                try db.executeCached(
                    sql: """
                        INSERT INTO budget_totals (scope, period_start, reserved) VALUES (?, ?, ?)
                        ON CONFLICT (scope, period_start) DO UPDATE SET reserved = reserved + excluded.reserved
                        """,
                    arguments: [scope.key.description, period, request.amount.minorUnits])
                try db.executeCached(
                    sql: "INSERT INTO reservation_scopes (reservation, scope, period_start) VALUES (?, ?, ?)",
                    arguments: [id, scope.key.description, period])
            }
            try Self.insertEvent(
                db, .reserved(ReservationID(id), request.amount, context), session: context.session, org: context.org,
                at: request.at)
            return .reserved(
                Reservation(
                    id: ReservationID(id), context: context, amount: request.amount, worker: request.worker,
                    periodStart: periodStart,
                    createdAt: request.at))
        }
    }

    public func commit(
        _ reservation: ReservationID, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int], delivering steering: Int64?
    ) async throws -> Charge {
        try await write { db in
            let open = try Self.openReservation(db, reservation)
            if let steering, try Self.deliverSteering(db, steering, at: at) == nil {
                throw LedgerError.alreadyDelivered(steering: steering)
            }
            guard amount.unit == open.amount.unit, amount <= open.amount, amount.minorUnits >= 0 else {
                throw LedgerError.chargeExceedsReservation(
                    id: reservation, reserved: open.amount.description, charged: amount.description)
            }
            try db.executeCached(
                sql: "UPDATE reservations SET state = 'committed', resolved_at = ? WHERE id = ? AND state = 'open'",
                arguments: [at.millisecondsSince1970, reservation])
            try db.executeCached(
                sql: """
                    UPDATE budget_totals SET reserved = reserved - ?, used = used + ?
                    WHERE (scope, period_start) IN (SELECT scope, period_start FROM reservation_scopes WHERE reservation = ?)
                    """,
                arguments: [open.amount.minorUnits, amount.minorUnits, reservation])
            let context = open.context
            try db.executeCached(
                sql: """
                    INSERT INTO charges (reservation, session, org, user, agent, repository, model_requested,
                        model_actual, kind, amount, unit, requests, input_tokens, cached_tokens, cache_write_tokens,
                        output_tokens, at, period_start)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    reservation, context.session, context.org, context.user, context.agent, context.repository,
                    context.requestedModel, context.actualModel, context.kind.rawValue, amount.minorUnits,
                    amount.unit.rawValue, requests, tokens.input, tokens.cachedInput, tokens.cacheWrite, tokens.output,
                    at.millisecondsSince1970, open.periodStart.millisecondsSince1970,
                ])
            let charge = Charge(
                id: db.lastInsertedRowID, reservation: reservation, context: context, amount: amount,
                requests: requests, tokens: tokens, at: at)
            try Self.insertEvent(
                db,
                .budgetCharged(
                    reservation: reservation, amount: amount, requests: requests,
                    refunded: amount < open.amount ? open.amount - amount : nil),
                session: context.session, org: context.org, at: at)
            if let orgLimit, orgLimit.unit == amount.unit, orgLimit.minorUnits > 0, !alerts.isEmpty {
                try Self.recordAlerts(
                    db, org: context.org, periodStart: open.periodStart, limit: orgLimit, thresholds: alerts, at: at)
            }
            return charge
        }
    }

    public func release(_ reservation: ReservationID, reason: String, at: Date) async throws {
        try await write { db in try Self.release(db, reservation, reason: reason, at: at) }
    }

    /// Releases inside the caller's transaction; throws when the reservation is not open.
    static func release(_ db: Database, _ reservation: ReservationID, reason: String, at: Date) throws {
        let open = try openReservation(db, reservation)
        try db.executeCached(
            sql: """
                UPDATE reservations SET state = 'released', resolved_at = ?, release_reason = ?
                WHERE id = ? AND state = 'open'
                """,
            arguments: [at.millisecondsSince1970, reason, reservation])
        try db.executeCached(
            sql: """
                UPDATE budget_totals SET reserved = reserved - ?
                WHERE (scope, period_start) IN (SELECT scope, period_start FROM reservation_scopes WHERE reservation = ?)
                """,
            arguments: [open.amount.minorUnits, reservation])
        try insertEvent(
            db, .budgetReleased(reservation: reservation, amount: open.amount, reason: reason),
            session: open.context.session, org: open.context.org, at: at)
    }

    public func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage] {
        try await read { db in try scopes.map { try Self.usage(db, scope: $0) } }
    }

    public func openReservations() async throws -> [Reservation] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.reservationColumns) FROM reservations WHERE state = 'open' ORDER BY id"
            ).map { try Self.reservation(from: $0) }
        }
    }

    static func usage(_ db: Database, scope: BudgetScope) throws -> ScopeUsage {
        let row = try db.fetchOneCached(
            sql: "SELECT used, reserved FROM budget_totals WHERE scope = ? AND period_start = ?",
            arguments: [scope.key.description, scope.periodStart.millisecondsSince1970])
        return ScopeUsage(
            used: Amount(scope.unit, minorUnits: row?[0] ?? 0), reserved: Amount(scope.unit, minorUnits: row?[1] ?? 0))
    }

    static func openReservation(_ db: Database, _ id: ReservationID) throws -> Reservation {
        guard
            let row = try db.fetchOneCached(
                sql: "SELECT \(reservationColumns) FROM reservations WHERE id = ?", arguments: [id])
        else {
            throw LedgerError.noSuchReservation(id)
        }
        let state: String = row[14]
        guard state == "open" else { throw LedgerError.reservationResolved(id: id, state: state) }
        return try reservation(from: row)
    }

    /// The columns `reservation(from:)` reads, in its order.
    static let reservationColumns =
        "id, session, org, user, agent, repository, model_requested, model_actual, kind, amount, unit, worker, period_start, created_at, state"

    /// A reservation from a row of `reservationColumns` (read by position: name lookups cost more).
    ///
    /// Throws on a kind or unit the schema's CHECK constraints should have refused: never coerced.
    static func reservation(from row: Row) throws -> Reservation {
        Reservation(
            id: row[0],
            context: ChargeContext(
                session: row[1], org: row[2], user: row[3], agent: row[4], repository: row[5], requestedModel: row[6],
                actualModel: row[7], kind: try decoded(ChargeKind.self, row[8], column: "kind")),
            amount: Amount(try decoded(BillingUnit.self, row[10], column: "unit"), minorUnits: row[9]),
            worker: row[11], periodStart: Date(millisecondsSince1970: row[12]),
            createdAt: Date(millisecondsSince1970: row[13]))
    }

    /// The columns `charge(from:)` reads, in its order.
    static let chargeColumns = """
        id, reservation, session, org, user, agent, repository, model_requested, model_actual, kind, amount, unit,
        requests, input_tokens, cached_tokens, cache_write_tokens, output_tokens, at
        """

    /// A charge from a row of `chargeColumns`; throws on an unknown kind or unit.
    static func charge(from row: Row) throws -> Charge {
        Charge(
            id: row[0], reservation: row[1],
            context: ChargeContext(
                session: row[2], org: row[3], user: row[4], agent: row[5], repository: row[6],
                requestedModel: row[7], actualModel: row[8], kind: try decoded(ChargeKind.self, row[9], column: "kind")),
            amount: Amount(try decoded(BillingUnit.self, row[11], column: "unit"), minorUnits: row[10]),
            requests: row[12],
            tokens: TokenCounts(input: row[13], cachedInput: row[14], cacheWrite: row[15], output: row[16]),
            at: Date(millisecondsSince1970: row[17]))
    }

    /// A raw column value as `T`, or `LedgerError.corrupt` naming the column.
    static func decoded<T: RawRepresentable>(_ type: T.Type, _ text: String, column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else { throw LedgerError.corrupt("\(column) '\(text)' is unknown") }
        return value
    }

    /// Records each threshold the organisation's committed spend has reached, once per period.
    static func recordAlerts(
        _ db: Database, org: String, periodStart: Date, limit: Amount, thresholds: [Int], at: Date
    ) throws {
        let scope = BudgetScope(
            kind: .org, name: org, unit: limit.unit, limit: limit, periodStart: periodStart, periodEnd: nil)
        let used: Int64 =
            try db.fetchOneCached(
                sql: "SELECT used FROM budget_totals WHERE scope = ? AND period_start = ?",
                arguments: [scope.key.description, periodStart.millisecondsSince1970])?["used"] ?? 0
        let percent = used.multipliedSaturating(by: 100) / limit.minorUnits
        for threshold in thresholds where percent >= threshold {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO alerts (org, period_start, threshold) VALUES (?, ?, ?)",
                arguments: [org, periodStart.millisecondsSince1970, threshold])
            if db.changesCount > 0 {
                try insertEvent(
                    db, .budgetAlert(threshold: threshold, used: Amount(limit.unit, minorUnits: used), limit: limit),
                    session: nil, org: org, at: at)
            }
        }
    }
}
