/// A path a tool may use: where it really is, after every symlink on the way was resolved.
public struct ConfinedPath: Sendable, Hashable {
    /// The real absolute path (no symlinks, `.` or `..`); operate on this one.
    public var absolute: String
    /// The path relative to the worktree root, as shown to the model; `.` for the root.
    public var relative: String
    /// Whether something exists there now (a missing file is fine for `edit`).
    public var exists: Bool
}
