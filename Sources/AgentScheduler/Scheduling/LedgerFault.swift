import AgentSchedulerLedger
import Foundation
import Synchronization

/// The first failure that made the ledger unusable during a `run`: a write that failed (disk
/// full, corruption), or the ledger file deleted or replaced under the process.
///
/// Recorded from any task; once set, the scheduler stops claiming, stops its sessions, and ends
/// `run()` with `LedgerUnusable` so that the process exits non-zero.
final class LedgerFault: Sendable {
    private let state = Mutex<(reason: String?, running: Set<SessionID>)>((nil, []))
    /// The ledger file's device and inode when the run started; `nil` when it could not be read.
    private let identity: (device: UInt64, inode: UInt64)?
    let path: String

    init(path: String) {
        self.path = path
        identity = Self.identity(of: path)
    }

    /// Records `reason` unless a failure was recorded already, with the sessions running then.
    func record(_ reason: String, running: Set<SessionID>) {
        state.withLock { state in
            if state.reason == nil { state = (reason, running) }
        }
    }

    var reason: String? { state.withLock { $0.reason } }
    var runningAtFailure: Set<SessionID> { state.withLock { $0.running } }

    /// Why the ledger file is no longer the one this run opened, or `nil` while it is.
    func checkFile() -> String? {
        guard let identity else { return nil }
        guard let now = Self.identity(of: path) else { return "the ledger file \(path) was deleted" }
        return now == identity ? nil : "the ledger file \(path) was replaced by another file"
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
