import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps the file tools inside one worktree: every path is resolved against the root and refused
/// unless its real path — after every symlink, including ones a command created a moment ago —
/// stays inside it, and outside any `.git` folder.
///
/// Paths are relative to the root; `..` is resolved lexically first (`a/../b` is `b`) and may not
/// climb above the root. Then each existing component is examined on disk: a symlink is resolved
/// with `realpath` and must lead inside the root. Components that do not exist yet (a file `edit`
/// creates, and folders on its way) are appended to the real path of their deepest existing
/// ancestor. Callers open the result component by component from the root with `O_NOFOLLOW`
/// (`LocalFile`), so a folder swapped for a symlink after this check is refused, not followed.
/// Hard links are not visible in a path; the file tools refuse a regular file with more than one.
public struct Confinement: Sendable, Hashable {
    /// The longest path accepted, in bytes (`PATH_MAX`).
    public static let maxPathBytes = 4096
    /// The longest path component accepted, in bytes (`NAME_MAX`).
    public static let maxComponentBytes = 255

    /// The root's real path.
    public let root: String

    /// A confinement to `root`, which must exist.
    public init(root: URL) throws(ConfinementError) {
        let path = root.path
        guard let real = Self.realPath(path) else {
            throw .rootUnavailable(path, reason: String(cString: strerror(errno)))
        }
        self.root = real
    }

    /// The real path of `path`, or why it is refused.
    ///
    /// An empty path or `.` is the root itself.
    public func resolve(_ path: String) -> Result<ConfinedPath, ConfinementError> {
        if path.utf8.contains(0) { return .failure(.nulByte) }
        let bytes = path.utf8.count
        guard bytes <= Self.maxPathBytes else { return .failure(.tooLong(bytes: bytes)) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if let long = parts.first(where: { $0.utf8.count > Self.maxComponentBytes }) {
            return .failure(.tooLong(bytes: long.utf8.count))
        }
        if path.hasPrefix("/") { return .failure(.absolute(path, relative: relativeForm(ofAbsolute: path))) }

        var components: [Substring] = []
        for part in parts where part != "." {
            if part == ".." {
                guard !components.isEmpty else { return .failure(.escapesRoot(path)) }
                components.removeLast()
            } else {
                components.append(part)
            }
        }
        if components.contains(where: Self.isGitFolder) { return .failure(.insideGit(path)) }

        var current = root
        var index = 0
        var exists = true
        while index < components.count {
            let candidate = current + "/" + components[index]
            var info = stat()
            if lstat(candidate, &info) != 0 {
                guard errno == ENOENT || errno == ENOTDIR else {
                    return .failure(.unreadable(path, reason: String(cString: strerror(errno))))
                }
                exists = false
                break
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                guard let target = Self.realPath(candidate) else { return .failure(.brokenSymlink(path)) }
                guard contains(target) else { return .failure(.symlinkEscapes(path, target: target)) }
                current = target
            } else {
                current = candidate
            }
            index += 1
        }
        let absolute = ([current] + components[index...].map(String.init)).joined(separator: "/")
        let relative = absolute == root ? "." : String(absolute.dropFirst(root.count + 1))
        guard absolute == root || absolute.hasPrefix(root + "/") else {
            return .failure(.symlinkEscapes(path, target: absolute))
        }
        if relative.split(separator: "/").contains(where: Self.isGitFolder) {
            return .failure(.insideGit(path))
        }
        return .success(ConfinedPath(root: root, absolute: absolute, relative: relative, exists: exists))
    }

    /// Whether `realPath` is the root or inside it.
    public func contains(_ realPath: String) -> Bool {
        realPath == root || realPath.hasPrefix(root + "/")
    }

    /// `.git`, in any letter case (case-insensitive file systems map `.GIT` onto it).
    static func isGitFolder(_ component: Substring) -> Bool {
        component.lowercased() == ".git"
    }

    private func relativeForm(ofAbsolute path: String) -> String? {
        let parts = path.split(separator: "/")
        guard !parts.contains("..") else { return nil }
        let trimmed = parts.joined(separator: "/")
        let rootTrimmed = root.split(separator: "/").joined(separator: "/")
        guard trimmed.hasPrefix(rootTrimmed + "/") else { return nil }
        return String(trimmed.dropFirst(rootTrimmed.count + 1))
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
