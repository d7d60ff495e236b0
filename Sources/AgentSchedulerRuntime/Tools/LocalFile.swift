#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file access for the tools, on paths `Confinement` already resolved.
///
/// Every operation on a `ConfinedPath` walks a chain of descriptors: the root is opened, then each
/// folder on the way with `openat(…, O_NOFOLLOW | O_DIRECTORY)` relative to the one before, and
/// the leaf is opened, examined (`fstat`) and read or replaced through its parent's descriptor. A
/// component a concurrent command swapped for a symlink since the check fails with `ELOOP` or
/// `ENOTDIR` instead of being followed. Regular files with more than one hard link are refused:
/// the other name may be outside the worktree.
enum LocalFile {
    enum Kind: Sendable {
        case regular, directory, symlink, other
    }

    /// What `fstat` says about an entry.
    struct Status: Sendable {
        var kind: Kind
        var size: Int
        /// The number of hard links.
        var links: Int
        /// The permission bits.
        var mode: mode_t

        init(_ info: stat) {
            kind =
                switch info.st_mode & S_IFMT {
                case S_IFREG: .regular
                case S_IFDIR: .directory
                case S_IFLNK: .symlink
                default: .other
                }
            size = Int(info.st_size)
            links = Int(info.st_nlink)
            mode = info.st_mode & 0o7777
        }
    }

    /// The kind and size of what is at `path` (not following a symlink), or the system's reason.
    static func status(_ path: String) -> Result<Status, ToolFailure> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(ToolFailure(systemError())) }
        return .success(Status(info))
    }

    /// The status of what is at `path`, reached through the descriptor chain.
    static func status(_ path: ConfinedPath) -> Result<Status, ToolFailure> {
        do throws(ToolFailure) {
            return .success(
                try withParent(of: path) { (parent, name) throws(ToolFailure) in try status(name, in: parent) })
        } catch {
            return .failure(error)
        }
    }

    /// The refusal for a regular file with more than one hard link.
    static func hardLinkRefusal(_ relative: String, links: Int) -> ToolFailure {
        ToolFailure(
            "'\(relative)' has \(links) hard links; the file tools refuse a file with more than one, because "
                + "another name for it may lie outside the worktree (copy it with execute if you need its content)")
    }

    /// The bytes of the regular file at `path`; refused when it has several hard links or is over
    /// `limit` bytes (`tooLarge` gives the message, from the size).
    static func readAll(
        _ path: ConfinedPath, limit: Int, tooLarge: (Int) -> String
    ) throws(ToolFailure) -> [UInt8] {
        try withParent(of: path) { (parent, name) throws(ToolFailure) in
            let descriptor = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard descriptor >= 0 else { throw ToolFailure(systemError(for: path)) }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw ToolFailure(systemError()) }
            let status = Status(info)
            guard status.kind == .regular else { throw ToolFailure("'\(path.relative)' is not a regular file") }
            guard status.links <= 1 else { throw hardLinkRefusal(path.relative, links: status.links) }
            guard status.size <= limit else { throw ToolFailure(tooLarge(status.size)) }
            return try readAll(descriptor)
        }
    }

    /// Replaces the file at `path` with `bytes`, creating it (mode 0644) and any missing folders
    /// on the way, or keeping the mode of the file it replaces.
    ///
    /// The bytes go to a temporary file made with `openat` in the parent folder, which is then
    /// renamed over the leaf (`renameat`): the write never follows a symlink and never writes
    /// through another hard link's inode. An existing leaf must be a regular file with one link.
    static func writeAll(_ bytes: [UInt8], to path: ConfinedPath) throws(ToolFailure) {
        try withParent(of: path, creatingFolders: true) { (parent, name) throws(ToolFailure) in
            var mode: mode_t = 0o644
            if let existing = try statusIfPresent(name, in: parent) {
                guard existing.kind == .regular else { throw ToolFailure("'\(path.relative)' is not a regular file") }
                guard existing.links <= 1 else { throw hardLinkRefusal(path.relative, links: existing.links) }
                mode = existing.mode
            }
            let temporary = ".agentsched-edit-\(UInt32.random(in: 0...UInt32.max))"
            let descriptor = openat(parent, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard descriptor >= 0 else { throw ToolFailure(systemError()) }
            do throws(ToolFailure) {
                defer { close(descriptor) }
                _ = fchmod(descriptor, mode)
                try writeAll(bytes, to: descriptor)
            } catch {
                unlinkat(parent, temporary, 0)
                throw error
            }
            guard renameat(parent, temporary, parent, name) == 0 else {
                let failure = ToolFailure(systemError())
                unlinkat(parent, temporary, 0)
                throw failure
            }
        }
    }

    /// The names in the folder at `path`, without `.` and `..`.
    static func names(in path: ConfinedPath) throws(ToolFailure) -> [String] {
        try withFolder(path) { (folder) throws(ToolFailure) in try names(inFolder: folder) }
    }

    /// The names in the folder at the real path `path` (not following a symlink there), for the
    /// search walk.
    static func names(in path: String) throws(ToolFailure) -> [String] {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { throw ToolFailure(systemError()) }
        defer { close(folder) }
        return try names(inFolder: folder)
    }

    /// Each entry of the folder at `path` with its status (`nil` when it cannot be examined) and,
    /// for a symlink, where it points as written.
    static func entries(
        in path: ConfinedPath
    ) throws(ToolFailure) -> [(
        name: String, status: Status?, target: String?
    )] {
        try withFolder(path) { (folder) throws(ToolFailure) in
            try names(inFolder: folder).map { name in
                let status = try? status(name, in: folder)
                var target: String?
                if status?.kind == .symlink {
                    var buffer = [CChar](repeating: 0, count: 4097)
                    let count = readlinkat(folder, name, &buffer, buffer.count - 1)
                    if count >= 0 {
                        target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    }
                }
                return (name, status, target)
            }
        }
    }

    /// Whether the bytes look binary: a NUL byte among the first 8 KiB.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    static func systemError() -> String {
        String(cString: strerror(errno))
    }

    // MARK: - The descriptor chain

    /// Runs `body` with a descriptor for the folder holding `path`'s leaf and the leaf's name
    /// (`.` for the root itself); with `creatingFolders`, missing folders on the way are made.
    static func withParent<Value>(
        of path: ConfinedPath, creatingFolders: Bool = false,
        _ body: (Int32, String) throws(ToolFailure) -> Value
    ) throws(ToolFailure) -> Value {
        var components = path.relative == "." ? [] : path.relative.split(separator: "/").map(String.init)
        let leaf = components.popLast() ?? "."
        let parent = try openChain(root: path.root, components, creating: creatingFolders, path: path)
        defer { close(parent) }
        return try body(parent, leaf)
    }

    /// Runs `body` with a descriptor for the folder at `path`.
    private static func withFolder<Value>(
        _ path: ConfinedPath, _ body: (Int32) throws(ToolFailure) -> Value
    ) throws(ToolFailure) -> Value {
        let components = path.relative == "." ? [] : path.relative.split(separator: "/").map(String.init)
        let folder = try openChain(root: path.root, components, creating: false, path: path)
        defer { close(folder) }
        return try body(folder)
    }

    /// A descriptor for the folder `root/components…`, each component opened relative to the one
    /// before with `O_NOFOLLOW`.
    private static func openChain(
        root: String, _ components: [String], creating: Bool, path: ConfinedPath
    ) throws(ToolFailure) -> Int32 {
        let folderFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var current = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw ToolFailure("the worktree root cannot be opened: \(systemError())") }
        for component in components {
            var next = openat(current, component, folderFlags)
            if next < 0, errno == ENOENT, creating {
                if mkdirat(current, component, 0o755) != 0, errno != EEXIST {
                    let failure = ToolFailure(systemError())
                    close(current)
                    throw failure
                }
                next = openat(current, component, folderFlags)
            }
            guard next >= 0 else {
                let failure = ToolFailure(systemError(for: path))
                close(current)
                throw failure
            }
            close(current)
            current = next
        }
        return current
    }

    private static func status(_ name: String, in folder: Int32) throws(ToolFailure) -> Status {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw ToolFailure(systemError()) }
        return Status(info)
    }

    /// The status of `name` in `folder`, or `nil` when nothing is there.
    private static func statusIfPresent(_ name: String, in folder: Int32) throws(ToolFailure) -> Status? {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw ToolFailure(systemError())
        }
        return Status(info)
    }

    private static func names(inFolder folder: Int32) throws(ToolFailure) -> [String] {
        // fdopendir takes the descriptor over: give it a duplicate.
        let duplicate = dup(folder)
        guard duplicate >= 0, let directory = fdopendir(duplicate) else {
            let failure = ToolFailure(systemError())
            if duplicate >= 0 { close(duplicate) }
            throw failure
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func readAll(_ descriptor: Int32) throws(ToolFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                return bytes
            } else if errno != EINTR {
                throw ToolFailure(systemError())
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(ToolFailure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                offset += count
            } else if errno != EINTR {
                throw ToolFailure(systemError())
            }
        }
    }

    /// The system's reason, naming a symlink swapped in since the check for what it is.
    private static func systemError(for path: ConfinedPath) -> String {
        switch errno {
        case ELOOP, ENOTDIR:
            "a component of '\(path.relative)' is now a symlink or not a folder (it changed after the path was "
                + "checked); the file tools do not follow it"
        default:
            systemError()
        }
    }
}
