import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The ledger in a PostgreSQL database, shared by workers on any number of machines.
///
/// Connections come from postgres-nio's `PostgresClient`, a pool whose `run()` must be running:
/// run the ledger as a `Service` (its `run()` runs the pool), or use `withLedger(_:timeSource:logger:body:)`
/// for a short command. The first call migrates the schema, as opening a SQLite ledger does.
///
/// Every method is one transaction (`BEGIN … COMMIT`, `ROLLBACK` on any error). A lost connection
/// rolls the transaction back on the server and reaches the caller as `LedgerError.unavailable`
/// (fail closed); the pool replaces the dead connection, with backoff while the server cannot be
/// reached, so the next call works again. Nothing is retried after its first statement: a
/// `COMMIT` whose outcome is unknown is reported, never repeated, so nothing is charged twice (a
/// caller that retries a commit finds `reservationResolved`). Only a `BEGIN` that failed on a
/// dead connection is retried, on another connection: nothing had happened yet.
///
/// Like SQLite's, a write completes even when the calling task is cancelled (a cancelled session
/// must still release its reservation): from a cancelled task, the transaction runs as a child of
/// `run()` instead, which the caller's cancellation does not reach.
public final class PostgresLedger: Ledger, Service {
    /// Whose clock the ledger's times come from.
    public enum TimeSource: Sendable, Hashable {
        /// The server's: `now()` stamps every write, lease expiry and reclaiming compare against it,
        /// and the `at:`/`now:` arguments are ignored except to measure lease lengths. Hosts' clocks
        /// disagree; the database's is the one they share (DESIGN §12, binding).
        case database
        /// The caller's `at:`/`now:` arguments, as given: for tests that move time.
        case caller
    }

    public let configuration: PostgresLedgerConfiguration
    public let timeSource: TimeSource
    /// How long a call waits for a connection before it fails with `LedgerError.unavailable`.
    public let connectionTimeout: Duration
    /// The most connections the pool opens.
    public let maximumConnections: Int
    let client: PostgresClient
    let logger: Logger
    private let jobs: AsyncStream<Job>
    private let jobQueue: AsyncStream<Job>.Continuation
    private let migrated = Mutex(false)

    typealias Job = @Sendable () async -> Void

    /// A ledger on `configuration`'s database; nothing connects until `run()` runs.
    public init(
        configuration: PostgresLedgerConfiguration, timeSource: TimeSource = .database,
        maximumConnections: Int = 16, connectionTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "agentsched.ledger.postgres")
    ) {
        self.configuration = configuration
        self.timeSource = timeSource
        self.connectionTimeout = connectionTimeout
        self.maximumConnections = max(1, maximumConnections)
        self.logger = logger
        var clientConfiguration = configuration.clientConfiguration
        clientConfiguration.options.maximumConnections = max(1, maximumConnections)
        clientConfiguration.options.connectTimeout = .seconds(10)
        // The pool's own chatter (each failed connection attempt, a lease before `run()` started)
        // stays below errors: callers get every failure as a `LedgerError` anyway.
        var background = logger
        background.logLevel = .error
        client = PostgresClient(configuration: clientConfiguration, backgroundLogger: background)
        (jobs, jobQueue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Runs the connection pool (and the writes of cancelled callers) until cancelled or until a
    /// graceful shutdown.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            for await job in jobs.cancelOnGracefulShutdown() {
                group.addTask { await job() }
            }
            group.cancelAll()
        }
        jobQueue.finish()
    }

    /// Opens the ledger for the duration of `body`: runs the pool in a child task, migrates, runs
    /// `body`, then stops the pool, whether `body` returned or threw.
    public static func withLedger<T: Sendable>(
        _ configuration: PostgresLedgerConfiguration, timeSource: TimeSource = .database,
        maximumConnections: Int = 16, connectionTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "agentsched.ledger.postgres"), body: (PostgresLedger) async throws -> T
    ) async throws -> T {
        let ledger = PostgresLedger(
            configuration: configuration, timeSource: timeSource, maximumConnections: maximumConnections,
            connectionTimeout: connectionTimeout, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ledger.run() }
            defer { group.cancelAll() }
            try await ledger.migrate()
            return try await body(ledger)
        }
    }

    /// What `LedgerError.unavailable` names: the database, without the password.
    var path: String { configuration.description }

    // MARK: Schema

    /// Applies the migrations this database lacks, in one transaction under an advisory lock, so
    /// that any number of processes may migrate at once: the first applies each version, the
    /// others wait and find nothing to do. Refuses a database migrated by a newer build.
    public func migrate() async throws {
        try await unmigratedTransaction { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(\(PostgresLocks.migrations))")
            try await transaction.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY CHECK (version > 0),
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let applied = Set(
                try await transaction.rows("SELECT version FROM schema_migrations").map { try $0.decode(Int32.self) })
            if let newest = applied.max(), newest > PostgresSchema.latestVersion {
                throw LedgerError.unavailable(
                    path: self.path,
                    reason:
                        "the schema is at version \(newest), newer than this agentsched knows (\(PostgresSchema.latestVersion))"
                )
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.statements { try await transaction.execute(statement) }
                try await transaction.execute("INSERT INTO schema_migrations (version) VALUES (\(migration.version))")
                self.logger.debug("ledger schema migrated", metadata: ["version": "\(migration.version)"])
            }
        }
        migrated.withLock { $0 = true }
    }

    /// The newest migration applied, 0 on a database never migrated.
    public func schemaVersion() async throws -> Int {
        try await unmigratedTransaction { transaction in
            guard try await transaction.value(Bool.self, "SELECT to_regclass('schema_migrations') IS NOT NULL") == true
            else { return 0 }
            return Int(
                try await transaction.value(Int32.self, "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0)
        }
    }

    // MARK: Transactions

    /// Runs `body` in one transaction on a pooled connection, migrating first on the first call.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        if !migrated.withLock({ $0 }) { try await migrate() }
        return try await unmigratedTransaction(body)
    }

    /// One transaction; from a cancelled task, as a child of `run()` (see the type's comment).
    private func unmigratedTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        if !Task.isCancelled {
            do {
                return try await runHere(body)
            } catch is LeaseCancelled {
                // Cancelled while waiting for a connection, before anything ran: run it shielded.
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            let queued = jobQueue.yield {
                do {
                    continuation.resume(returning: try await self.runHere(body))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            if case .terminated = queued {
                continuation.resume(throwing: LedgerError.unavailable(path: path, reason: "the ledger was closed"))
            }
        }
    }

    /// Runs the transaction on a pooled connection, mapping every failure to a `LedgerError`
    /// (except `LeaseCancelled`); retries only a `BEGIN` that failed (a dead pooled connection),
    /// once per connection the pool may hold, so a pool of connections the server ended drains.
    private func runHere<T: Sendable>(
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await leaseAndRun(body)
            } catch let failure as BeginFailed where attempt <= maximumConnections {
                logger.debug("BEGIN failed; retrying on another connection", metadata: ["reason": "\(failure)"])
                continue
            } catch let error as LedgerError {
                throw error
            } catch let cancelled as LeaseCancelled {
                throw cancelled
            } catch is LeaseTimedOut {
                throw LedgerError.unavailable(
                    path: path, reason: "no connection to the database within \(connectionTimeout)")
            } catch let failure as BeginFailed {
                throw LedgerError.unavailable(path: path, reason: Self.reason(failure.underlying))
            } catch let unknown as CommitOutcomeUnknown {
                throw LedgerError.unavailable(
                    path: path,
                    reason: "the connection failed during COMMIT, so whether it committed is unknown: "
                        + Self.reason(unknown.underlying))
            } catch let error as PostgresDecodingError {
                throw LedgerError.corrupt(
                    "column \(error.columnName) of type \(error.postgresType) does not decode as \(error.targetType)")
            } catch {
                throw LedgerError.unavailable(path: path, reason: Self.reason(error))
            }
        }
    }

    /// Leases a connection, waiting at most `connectionTimeout` (the pool keeps trying to connect,
    /// with backoff, for longer: a caller must fail closed sooner), and runs the transaction on it.
    private func leaseAndRun<T: Sendable>(
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let race = LeaseRace()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    return try await self.client.withConnection { connection in
                        guard race.claim(.acquired) else { throw LeaseTimedOut() }
                        return try await self.inTransaction(connection, body)
                    }
                } catch {
                    if race.state != .acquired && Task.isCancelled { throw LeaseCancelled() }
                    throw error
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: self.connectionTimeout)
                } catch {
                    return nil
                }
                if race.claim(.abandoned) { throw LeaseTimedOut() }
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw LeaseTimedOut()
        }
    }

    private func inTransaction<T: Sendable>(
        _ connection: PostgresConnection, _ body: @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        do {
            try await Self.begin(on: connection)
        } catch {
            throw BeginFailed(underlying: error)
        }
        let transaction = PostgresTransaction(connection: connection, logger: logger, timeSource: timeSource)
        let value: T
        do {
            value = try await body(transaction)
            try await transaction.flushEvents()
        } catch {
            // On a lost connection the server has rolled back already; a ROLLBACK sent to a
            // connection that is closing may never be answered, so it is closed instead.
            if Self.connectionLost(error) || connection.isClosed {
                try? await connection.close()
                throw error
            }
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                // A connection that cannot even roll back must not serve another transaction.
                try? await connection.close()
            }
            throw error
        }
        do {
            try await connection.query("COMMIT", logger: logger)
        } catch let error as PSQLError where error.code == .server {
            // The server answered: it rolled back (a deferred check failed, say).
            throw error
        } catch {
            try? await connection.close()
            throw CommitOutcomeUnknown(underlying: error)
        }
        return value
    }

    /// Sends `BEGIN`, failing as soon as the connection closes: a pooled connection the server
    /// ended while it was idle may take a statement and never answer it (seen with postgres-nio
    /// 1.33.2 after `pg_terminate_backend`), so the answer races the connection's close.
    static func begin(on connection: PostgresConnection) async throws {
        let answer = connection.eventLoop.makePromise(of: Void.self)
        let settled = LeaseRace()
        connection.simpleQuery("BEGIN").whenComplete { result in
            guard settled.claim(.acquired) else { return }
            answer.completeWith(result.map { _ in () })
        }
        connection.closeFuture.whenComplete { _ in
            guard settled.claim(.abandoned) else { return }
            answer.fail(ConnectionClosed())
        }
        try await answer.futureResult.get()
    }

    /// Whether `error` means the connection is gone: closed on either side, or ended by the server
    /// (a FATAL error such as `pg_terminate_backend`'s, or a connection-exception SQLSTATE).
    static func connectionLost(_ error: any Error) -> Bool {
        if error is ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let severity = error.serverInfo?[.severity] ?? ""
            let state = error.serverInfo?[.sqlState] ?? ""
            return severity == "FATAL" || severity == "PANIC" || state.hasPrefix("08") || state.hasPrefix("57P")
        default:
            return false
        }
    }

    /// One line on why the database failed, without query text or bound values.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if error.code == .server {
            let message = error.serverInfo?[.message] ?? "an error"
            let state = error.serverInfo?[.sqlState] ?? "unknown"
            return "the server answered: \(message) (SQLSTATE \(state))"
        }
        return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
    }

    // MARK: Decoding

    /// A stored value as `T`, or `LedgerError.corrupt` naming the column: never coerced.
    static func decoded<T: RawRepresentable>(_ type: T.Type, _ text: String, column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else { throw LedgerError.corrupt("\(column) '\(text)' is unknown") }
        return value
    }

    /// Event data as stored (a JSON object of strings), or `LedgerError.corrupt`.
    static func eventData(_ text: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw LedgerError.corrupt("event data is not an object of strings")
        }
    }
}

/// `BEGIN` failed: nothing happened, so the transaction may run again on another connection.
struct BeginFailed: Error {
    var underlying: any Error
}

/// The connection closed before the server answered.
struct ConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the connection to the database closed" }
}

/// No connection came within the ledger's `connectionTimeout`.
struct LeaseTimedOut: Error {}

/// The calling task was cancelled while waiting for a connection; nothing ran.
struct LeaseCancelled: Error {}

/// Who won the race between a connection arriving and the wait for it timing out.
final class LeaseRace: Sendable {
    enum State: Sendable { case waiting, acquired, abandoned }

    private let current = Mutex(State.waiting)

    var state: State { current.withLock { $0 } }

    /// Moves from `waiting` to `outcome`; `false` when the other side won first.
    func claim(_ outcome: State) -> Bool {
        current.withLock { state in
            guard state == .waiting else { return false }
            state = outcome
            return true
        }
    }
}

/// The connection failed while `COMMIT` was under way: the transaction may or may not have committed.
struct CommitOutcomeUnknown: Error {
    var underlying: any Error
}

extension Date {
    /// Milliseconds since 1970, rounded down: the ledger's time resolution (as SQLite's).
    var ledgerMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(ledgerMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}
