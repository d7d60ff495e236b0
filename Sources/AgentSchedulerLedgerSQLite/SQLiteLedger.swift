import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import GRDB
import Logging

/// The ledger in one SQLite file, shared by every process of a workspace.
///
/// WAL mode lets readers run beside the one writer; every change is a `BEGIN IMMEDIATE`
/// transaction (GRDB's default for writes), so a reservation's check and its hold are one step
/// under SQLite's file lock, across processes. A busy file is waited for (busy timeout) and the
/// transaction retried a few times before the error reaches the caller, which fails closed.
public final class SQLiteLedger: Ledger {
    public let path: String
    let pool: DatabasePool
    let logger = Logger(label: "agentsched.ledger")

    /// Whether the transaction now running on the writer connection may wait for the file lock.
    /// Only the writer's serial queue touches it, around each transaction.
    let waitPolicy: BusyWaitPolicy

    /// Opens (creating and migrating as needed) the ledger at `path`.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        let waitPolicy = BusyWaitPolicy(timeout: busyTimeout)
        self.waitPolicy = waitPolicy
        var configuration = Configuration()
        configuration.busyMode = .callback { tries in waitPolicy.shouldRetry(after: tries) }
        configuration.label = "agentsched.ledger"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: configuration)
            try LedgerSchema.migrator.migrate(pool)
        } catch {
            throw LedgerError.unavailable(path: path, reason: "\(error)")
        }
    }

    /// Runs `updates` in one immediate transaction.
    ///
    /// Most transactions find the file free and finish in about a tenth of a millisecond, so they
    /// run in place on the calling thread (GRDB's synchronous write is a `dispatch_sync` onto the
    /// writer's queue), which saves two thread switches per transaction. Such a transaction never
    /// waits for SQLite's lock: when another process holds it, it gives up at once and the write
    /// is queued instead, on GRDB's writer queue, which waits with backoff up to the busy timeout —
    /// so no cooperative thread ever sleeps on the file lock.
    ///
    /// A write completes even when the calling task is cancelled: a cancelled session must still
    /// release its reservation. (GRDB's `async` write would throw `CancellationError` instead.)
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            do {
                return try writeInPlace(updates)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                logger.debug("ledger file busy; queueing the write")
            }
            return try await withCheckedThrowingContinuation { continuation in
                pool.asyncWriteWithoutTransaction { db in
                    continuation.resume(with: Result { try Self.inTransaction(db, updates) })
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw LedgerError.unavailable(path: path, reason: error.description)
        }
    }

    /// The synchronous write, on the calling thread, failing at once on a busy file.
    private func writeInPlace<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try waitPolicy.withoutWaiting { try Self.inTransaction(db, updates) }
        }
    }

    private static func inTransaction<T>(_ db: Database, _ updates: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.immediate) {
            result = try updates(db)
            return .commit
        }
        return result!
    }

    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(value)
        } catch let error as DatabaseError {
            throw LedgerError.unavailable(path: path, reason: error.description)
        }
    }

    /// Appends one event inside the caller's transaction.
    static func insertEvent(
        _ db: Database, _ payload: EventPayload, session: SessionID?, org: String?, at: Date
    ) throws {
        try db.executeCached(
            sql: "INSERT INTO events (session, org, at, kind, data) VALUES (?, ?, ?, ?, ?)",
            arguments: [session, org, at.millisecondsSince1970, payload.kind.rawValue, FlatJSON.encode(payload.fields)])
    }
}

extension Date {
    /// Milliseconds since 1970, the ledger's time column unit.
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}
