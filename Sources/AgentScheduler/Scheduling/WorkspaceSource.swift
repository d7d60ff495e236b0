import AgentSchedulerCore
import Foundation

/// The workspace as `run` sees it now: loaded once, and loaded again when a profile, policy or
/// catalog file changes, so an edited budget, role or allowed agent applies to the next admission
/// and the next tool call without restarting.
///
/// A reload with errors keeps the last good workspace and reports the diagnostics once, through
/// `report` (one line each, then what stays in force): not again until the files change again and
/// the errors differ.
public actor WorkspaceSource {
    private let root: String
    private var current: Workspace
    private var fingerprint: [String: Date]
    private var checkedAt: ContinuousClock.Instant
    private let recheckEvery: Duration
    /// Errors of the last reload that failed, to be reported.
    public private(set) var rejected: [Diagnostic] = []
    private let report: @Sendable (String) -> Void

    public init(
        root: String, workspace: Workspace, recheckEvery: Duration = .seconds(1),
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.root = root
        self.report = report
        current = workspace
        fingerprint = Self.fingerprint(root: root)
        checkedAt = .now
        self.recheckEvery = recheckEvery
    }

    /// The newest valid workspace (checked for changed files at most every `recheckEvery`).
    public func workspace() -> Workspace {
        guard ContinuousClock.now - checkedAt >= recheckEvery else { return current }
        checkedAt = .now
        let now = Self.fingerprint(root: root)
        guard now != fingerprint else { return current }
        fingerprint = now
        let loaded = WorkspaceLoader(root: root).load()
        if loaded.errors.isEmpty {
            current = loaded
            rejected = []
        } else if loaded.errors != rejected {
            rejected = loaded.errors
            for diagnostic in loaded.errors { report(diagnostic.description) }
            report("the workspace has errors; the last valid profiles and policies stay in force until they are fixed")
        }
        return current
    }

    /// Modification times of every file a workspace is made of.
    static func fingerprint(root: String) -> [String: Date] {
        var times: [String: Date] = [:]
        let manager = FileManager.default
        let folders = WorkspaceLoader.agentFolders + [WorkspaceLoader.policiesFolder]
        for folder in folders {
            let path = (root as NSString).appendingPathComponent(folder)
            for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] {
                let file = (path as NSString).appendingPathComponent(name)
                times[file] = (try? manager.attributesOfItem(atPath: file))?[.modificationDate] as? Date
            }
        }
        let configuration = (root as NSString).appendingPathComponent(WorkspaceLoader.configurationFile)
        times[configuration] = (try? manager.attributesOfItem(atPath: configuration))?[.modificationDate] as? Date
        return times
    }
}
