#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file access for the tools, on paths `Confinement` already resolved: opened with
/// `O_NOFOLLOW`, so a symlink swapped in since cannot redirect them.
enum LocalFile {
    enum Kind: Sendable {
        case regular, directory, symlink, other
    }

    /// The kind and size of what is at `path` (not following a symlink), or the system's reason.
    static func status(_ path: String) -> Result<(kind: Kind, size: Int), ToolFailure> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(ToolFailure(systemError())) }
        let kind: Kind =
            switch info.st_mode & S_IFMT {
            case S_IFREG: .regular
            case S_IFDIR: .directory
            case S_IFLNK: .symlink
            default: .other
            }
        return .success((kind, Int(info.st_size)))
    }

    /// The file's bytes.
    static func readAll(_ path: String) throws(ToolFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ToolFailure(systemError()) }
        defer { close(descriptor) }
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

    /// Writes `bytes` to the file, creating it (mode 0644) or replacing its contents.
    static func writeAll(_ bytes: [UInt8], to path: String) throws(ToolFailure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ToolFailure(systemError()) }
        defer { close(descriptor) }
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

    /// Creates `path` and any missing folders above it, down from `existing` (a real folder).
    static func makeFolders(_ path: String, below existing: String) throws(ToolFailure) {
        var current = existing
        for component in path.dropFirst(existing.count).split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST { throw ToolFailure(systemError()) }
        }
    }

    /// The names in a folder, without `.` and `..`.
    static func names(in path: String) throws(ToolFailure) -> [String] {
        guard let directory = opendir(path) else { throw ToolFailure(systemError()) }
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

    /// Where a symlink points, as written.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the bytes look binary: a NUL byte among the first 8 KiB.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }

    static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
