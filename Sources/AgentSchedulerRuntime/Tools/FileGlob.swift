import AgentSchedulerCore

/// A glob over files: against the file's name, or against its path from the worktree root when
/// the pattern holds a `/`. A leading `**/` matches any folder, the root included.
struct FileGlob: Sendable {
    let pattern: String
    private let glob: Glob
    private let matchesPath: Bool

    init(_ pattern: String) {
        self.pattern = pattern
        var effective = Substring(pattern)
        while effective.hasPrefix("**/") { effective = effective.dropFirst(3) }
        while effective.hasPrefix("./") { effective = effective.dropFirst(2) }
        matchesPath = effective.contains("/")
        glob = Glob(String(effective))
    }

    /// Whether the file at `relativePath` (from the worktree root) matches.
    func matches(_ relativePath: String) -> Bool {
        if matchesPath { return glob.matches(relativePath) }
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return glob.matches(name)
    }
}
