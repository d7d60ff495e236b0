/// The canonical tool aliases every spelling is normalised to (GitHub's custom-agent aliases).
public enum BuiltinTool: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Read a file or list a folder.
    case read
    /// Search file names and contents.
    case search
    /// Create and change files.
    case edit
    /// Run shell commands.
    case execute
    /// Hand work to another agent.
    case agent
    /// Keep the session's own checklist.
    case todo
    /// Fetch URLs and search the web.
    case web

    /// Whether the tool changes the worktree; a `read-only` permission removes these.
    public var writes: Bool { self == .edit || self == .execute }

    public static func < (lhs: BuiltinTool, rhs: BuiltinTool) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
