/// A path a tool may use: where it really is, after every symlink on the way was resolved.
///
/// The file tools reach it through `root` and the components of `relative`, each opened with
/// `O_NOFOLLOW` relative to the folder before it, so a component swapped for a symlink after the
/// check is refused rather than followed.
public struct ConfinedPath: Sendable, Hashable {
    /// The worktree root's real path.
    public var root: String
    /// The real absolute path (no symlinks, `.` or `..`); operate on this one.
    public var absolute: String
    /// The path relative to the worktree root, as shown to the model; `.` for the root.
    public var relative: String
    /// Whether something exists there now (a missing file is fine for `edit`).
    public var exists: Bool
}
