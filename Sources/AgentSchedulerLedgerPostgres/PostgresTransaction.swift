import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Logging
import PostgresNIO

/// One open transaction on one connection: its statements, its clock, and the events it appends.
///
/// Events are kept until the end of the transaction and inserted together, just before `COMMIT`,
/// under `PostgresLocks.events`. PostgreSQL hands out identity values when rows are inserted,
/// not when they commit, so without the lock a reader of `events(after:)` could see id 12 commit
/// before id 11 and skip 11 for ever. Holding the lock from the insert to the end of the
/// transaction makes ids visible in increasing order; inserting last keeps the time it is held
/// to one statement and the commit.
final class PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger
    let timeSource: PostgresLedger.TimeSource
    private var databaseNow: Int64?
    private var pendingEvents: [PendingEvent] = []

    struct PendingEvent: Encodable {
        var session: SessionID?
        var org: String?
        var at: Int64
        var kind: EventKind
        var data: [String: String]
    }

    init(connection: PostgresConnection, logger: Logger, timeSource: PostgresLedger.TimeSource) {
        self.connection = connection
        self.logger = logger
        self.timeSource = timeSource
    }

    // MARK: Statements

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    func row(_ query: PostgresQuery) async throws -> PostgresRow? {
        try await rows(query).first
    }

    /// The first column of the first row, `nil` when there is no row.
    func value<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? {
        guard let row = try await row(query) else { return nil }
        return try row.decode(T.self)
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        try await rows(query).map { try $0.decode(T.self) }
    }

    // MARK: Time

    /// The time a write made at the caller's `at` is stamped with, in milliseconds since 1970: `at`
    /// itself in `.caller` mode; the server's `now()` (the transaction's start, the same for every
    /// statement in it) in `.database` mode.
    func time(_ at: Date) async throws -> Int64 {
        switch timeSource {
        case .caller: return at.ledgerMilliseconds
        case .database: return try await serverNow()
        }
    }

    /// The instant a record written at the caller's `at` and stamped `stamp` reports: `at` itself
    /// in `.caller` mode (as SQLite reports it), the server's time in `.database` mode.
    func reported(_ at: Date, stamped stamp: Int64) -> Date {
        timeSource == .caller ? at : Date(ledgerMilliseconds: stamp)
    }

    /// The server's `now()`, in milliseconds, whatever the time source.
    func serverNow() async throws -> Int64 {
        if let databaseNow { return databaseNow }
        guard let now = try await value(Int64.self, "SELECT agentsched_ms(now())") else {
            throw LedgerError.corrupt("the server did not say what time it is")
        }
        databaseNow = now
        return now
    }

    // MARK: Events

    /// Appends an event at the end of the transaction (see the type's comment).
    func insertEvent(_ payload: EventPayload, session: SessionID?, org: String?, at: Int64) {
        pendingEvents.append(
            PendingEvent(session: session, org: org, at: at, kind: payload.kind, data: payload.fields))
    }

    /// Inserts the pending events, in order, under the events lock.
    func flushEvents() async throws {
        guard !pendingEvents.isEmpty else { return }
        let json = String(decoding: try JSONEncoder().encode(pendingEvents), as: UTF8.self)
        pendingEvents = []
        try await execute(
            """
            INSERT INTO events (session, org, at, kind, data)
            SELECT (e.value ->> 'session')::bigint, e.value ->> 'org', agentsched_at((e.value ->> 'at')::bigint),
                e.value ->> 'kind', e.value -> 'data'
            FROM (SELECT pg_advisory_xact_lock(\(PostgresLocks.events))) AS lock,
                jsonb_array_elements(\(json)::jsonb) WITH ORDINALITY AS e(value, place)
            ORDER BY e.place
            """)
    }
}
