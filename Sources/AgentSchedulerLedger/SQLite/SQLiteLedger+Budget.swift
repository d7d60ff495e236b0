import AgentSchedulerCore
import Foundation
import GRDB

extension SQLiteLedger {
    public func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome {
        try await write { db in
            try Self.requireLiveLease(db, worker: request.worker, at: request.at)
            for scope in request.scopes {
                let usage = try Self.usage(db, scope: scope)
                if request.amount > .zero, let limit = scope.limit, usage.used + usage.reserved + request.amount > limit
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
                        model_actual, kind, amount, period_start, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
                    """,
                arguments: [
                    context.session, request.worker, context.org, context.user, context.agent, context.repository,
                    context.requestedModel, context.actualModel, context.kind.rawValue, request.amount.thousandths,
                    periodStart.millisecondsSince1970, request.at.millisecondsSince1970,
                ])
            let id = db.lastInsertedRowID
            for scope in request.scopes {
                let period = scope.periodStart.millisecondsSince1970
                try db.executeCached(
                    sql: """
                        INSERT INTO budget_totals (scope, period_start, reserved) VALUES (?, ?, ?)
                        ON CONFLICT (scope, period_start) DO UPDATE SET reserved = reserved + excluded.reserved
                        """,
                    arguments: [scope.key, period, request.amount.thousandths])
                try db.executeCached(
                    sql: "INSERT INTO reservation_scopes (reservation, scope, period_start) VALUES (?, ?, ?)",
                    arguments: [id, scope.key, period])
            }
            var data = [
                "reservation": "\(id)", "amount": request.amount.description, "kind": context.kind.rawValue,
                "model": context.requestedModel,
            ]
            if context.actualModel != context.requestedModel { data["fallback"] = context.actualModel }
            try Self.insertEvent(
                db, kind: "budget.reserved", session: context.session, org: context.org, data: data, at: request.at)
            return .reserved(
                Reservation(
                    id: id, context: context, amount: request.amount, worker: request.worker, periodStart: periodStart,
                    createdAt: request.at))
        }
    }

    public func commit(
        _ reservation: Int64, amount: PremiumRequests, requests: Int, at: Date, orgLimit: PremiumRequests?,
        alerts: [Int]
    ) async throws -> Charge {
        try await write { db in
            let open = try Self.openReservation(db, reservation)
            guard amount <= open.amount, amount >= .zero else {
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
                arguments: [open.amount.thousandths, amount.thousandths, reservation])
            let context = open.context
            try db.executeCached(
                sql: """
                    INSERT INTO charges (reservation, session, org, user, agent, repository, model_requested,
                        model_actual, kind, amount, requests, at, period_start)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    reservation, context.session, context.org, context.user, context.agent, context.repository,
                    context.requestedModel, context.actualModel, context.kind.rawValue, amount.thousandths, requests,
                    at.millisecondsSince1970, open.periodStart.millisecondsSince1970,
                ])
            let charge = Charge(
                id: db.lastInsertedRowID, reservation: reservation, context: context, amount: amount,
                requests: requests,
                at: at)
            var data = ["reservation": "\(reservation)", "amount": amount.description, "requests": "\(requests)"]
            if amount < open.amount { data["refunded"] = (open.amount - amount).description }
            try Self.insertEvent(
                db, kind: "budget.charged", session: context.session, org: context.org, data: data, at: at)
            if let orgLimit, orgLimit > .zero, !alerts.isEmpty {
                try Self.recordAlerts(
                    db, org: context.org, periodStart: open.periodStart, limit: orgLimit, thresholds: alerts, at: at)
            }
            return charge
        }
    }

    public func release(_ reservation: Int64, reason: String, at: Date) async throws {
        try await write { db in try Self.release(db, reservation, reason: reason, at: at) }
    }

    /// Releases inside the caller's transaction; throws when the reservation is not open.
    static func release(_ db: Database, _ reservation: Int64, reason: String, at: Date) throws {
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
            arguments: [open.amount.thousandths, reservation])
        try insertEvent(
            db, kind: "budget.released", session: open.context.session, org: open.context.org,
            data: ["reservation": "\(reservation)", "amount": open.amount.description, "reason": reason], at: at)
    }

    public func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage] {
        try await read { db in try scopes.map { try Self.usage(db, scope: $0) } }
    }

    public func openReservations() async throws -> [Reservation] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.reservationColumns) FROM reservations WHERE state = 'open' ORDER BY id"
            ).map(Self.reservation(from:))
        }
    }

    static func usage(_ db: Database, scope: BudgetScope) throws -> ScopeUsage {
        let row = try db.fetchOneCached(
            sql: "SELECT used, reserved FROM budget_totals WHERE scope = ? AND period_start = ?",
            arguments: [scope.key, scope.periodStart.millisecondsSince1970])
        return ScopeUsage(
            used: PremiumRequests(thousandths: row?[0] ?? 0), reserved: PremiumRequests(thousandths: row?[1] ?? 0))
    }

    static func openReservation(_ db: Database, _ id: Int64) throws -> Reservation {
        guard
            let row = try db.fetchOneCached(
                sql: "SELECT \(reservationColumns) FROM reservations WHERE id = ?", arguments: [id])
        else {
            throw LedgerError.noSuchReservation(id)
        }
        let state: String = row[13]
        guard state == "open" else { throw LedgerError.reservationResolved(id: id, state: state) }
        return reservation(from: row)
    }

    /// The columns `reservation(from:)` reads, in its order.
    static let reservationColumns =
        "id, session, org, user, agent, repository, model_requested, model_actual, kind, amount, worker, period_start, created_at, state"

    /// A reservation from a row of `reservationColumns` (read by position: name lookups cost more).
    static func reservation(from row: Row) -> Reservation {
        Reservation(
            id: row[0],
            context: ChargeContext(
                session: row[1], org: row[2], user: row[3], agent: row[4], repository: row[5], requestedModel: row[6],
                actualModel: row[7], kind: ChargeKind(rawValue: row[8]) ?? .request),
            amount: PremiumRequests(thousandths: row[9]), worker: row[10],
            periodStart: Date(millisecondsSince1970: row[11]), createdAt: Date(millisecondsSince1970: row[12]))
    }

    /// Records each threshold the organisation's committed spend has reached, once per period.
    static func recordAlerts(
        _ db: Database, org: String, periodStart: Date, limit: PremiumRequests, thresholds: [Int], at: Date
    ) throws {
        let used: Int64 =
            try db.fetchOneCached(
                sql: "SELECT used FROM budget_totals WHERE scope = ? AND period_start = ?",
                arguments: ["org:\(org)", periodStart.millisecondsSince1970])?["used"] ?? 0
        let percent = used * 100 / limit.thousandths
        for threshold in thresholds where percent >= threshold {
            try db.executeCached(
                sql: "INSERT OR IGNORE INTO alerts (org, period_start, threshold) VALUES (?, ?, ?)",
                arguments: [org, periodStart.millisecondsSince1970, threshold])
            if db.changesCount > 0 {
                try insertEvent(
                    db, kind: "budget.alert", session: nil, org: org,
                    data: [
                        "threshold": "\(threshold)", "used": PremiumRequests(thousandths: used).description,
                        "limit": limit.description,
                    ], at: at)
            }
        }
    }
}
