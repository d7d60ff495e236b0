#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat(2)` says of a path, following symlinks: enough to refuse FIFOs, devices and
/// folders before opening them (reading a FIFO would hang).
struct FileStatus {
    enum Kind { case regular, directory, other }

    var kind: Kind
    var size: Int

    /// The status, or the system's reason (`No such file or directory`, …) when there is none.
    static func of(_ path: String) -> Result<FileStatus, FileStatusError> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(FileStatusError(reason: String(cString: strerror(errno))))
        }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        return .success(FileStatus(kind: kind, size: Int(info.st_size)))
    }
}

struct FileStatusError: Error {
    var reason: String
}
