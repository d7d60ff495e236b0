import AgentSchedulerCore
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

    /// Opens (creating and migrating as needed) the ledger at `path`.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
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

    /// Runs `updates` in one immediate transaction, retrying when another process holds the file
    /// past the busy timeout.
    ///
    /// A write completes even when the calling task is cancelled: a cancelled session must still
    /// release its reservation. (GRDB's `async` write would throw `CancellationError` instead.)
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await withCheckedThrowingContinuation { continuation in
                    pool.asyncWrite(updates) { _, result in continuation.resume(with: result) }
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 4 {
                attempt += 1
                logger.debug("ledger busy; retrying", metadata: ["attempt": "\(attempt)"])
                try? await Task.sleep(for: .milliseconds(20 << attempt))
            } catch let error as LedgerError {
                throw error
            } catch let error as DatabaseError {
                throw LedgerError.unavailable(path: path, reason: error.description)
            }
        }
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
        _ db: Database, kind: String, session: Int64?, org: String?, data: [String: String], at: Date
    ) throws {
        try db.executeCached(
            sql: "INSERT INTO events (session, org, at, kind, data) VALUES (?, ?, ?, ?, ?)",
            arguments: [session, org, at.millisecondsSince1970, kind, FlatJSON.encode(data)])
    }
}

extension Date {
    /// Milliseconds since 1970, the ledger's time column unit.
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}
