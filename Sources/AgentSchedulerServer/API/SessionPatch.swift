import AgentScheduler
import AgentSchedulerLedger
import Foundation

/// A session's patch file, read only from inside the state folder: the path comes from the
/// ledger, and a path elsewhere (an edited ledger) is not read.
enum SessionPatch {
    /// The largest patch shown.
    static let maxBytes = 4 << 20

    static func text(of session: SessionRecord, state: StateDirectory) -> String? {
        guard let path = session.outputs.patch else { return nil }
        let root = URL(fileURLWithPath: state.path).standardizedFileURL.resolvingSymlinksInPath().path
        let file = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        guard file.path.hasPrefix(root + "/"), let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxBytes) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
