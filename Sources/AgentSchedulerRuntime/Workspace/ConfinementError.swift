/// Why a path was refused: it would lead a tool outside its worktree, or into `.git`.
///
/// `message` is written for the model: it says what was wrong and what to use instead.
public enum ConfinementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path holds a NUL byte.
    case nulByte
    /// The path, or one of its components, is longer than the system allows.
    case tooLong(bytes: Int)
    /// An absolute path; `relative` is its form relative to the root when it lies inside.
    case absolute(String, relative: String?)
    /// `..` components climb above the root.
    case escapesRoot(String)
    /// A symlink on the way leads outside the root; `target` is where it leads.
    case symlinkEscapes(String, target: String)
    /// A symlink on the way dangles or loops.
    case brokenSymlink(String)
    /// The path (or where its symlinks lead) is inside a `.git` folder.
    case insideGit(String)
    /// A component of the path cannot be examined (permissions, I/O).
    case unreadable(String, reason: String)
    /// The root itself is missing or unreadable.
    case rootUnavailable(String, reason: String)

    public var message: String {
        switch self {
        case .nulByte:
            "the path contains a NUL byte; paths are plain text relative to the worktree root"
        case .tooLong(let bytes):
            "the path is too long (\(bytes) bytes; at most \(Confinement.maxPathBytes), "
                + "\(Confinement.maxComponentBytes) per component)"
        case .absolute(let path, let relative):
            "'\(path)' is an absolute path; paths are relative to the worktree root"
                + (relative.map { ": use '\($0)'" } ?? ", and this one lies outside it")
        case .escapesRoot(let path):
            "'\(path)' leads outside the worktree (too many '..'); paths are relative to the worktree root"
        case .symlinkEscapes(let path, let target):
            "'\(path)' goes through a symlink to '\(target)', outside the worktree; only files inside it can be used"
        case .brokenSymlink(let path):
            "'\(path)' goes through a symlink whose target is missing or that loops"
        case .insideGit(let path):
            "'\(path)' is inside a .git folder, which the file tools do not touch; "
                + "use git commands through execute to inspect history"
        case .unreadable(let path, let reason):
            "'\(path)' cannot be examined: \(reason)"
        case .rootUnavailable(let root, let reason):
            "the worktree root '\(root)' is unavailable: \(reason)"
        }
    }

    public var description: String { message }
}
