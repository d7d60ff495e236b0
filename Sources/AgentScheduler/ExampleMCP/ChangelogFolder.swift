import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `CHANGELOG.md` of one folder, read and replaced without ever reaching outside that folder.
///
/// The file must be a regular file with one link: a symbolic link or a second hard link could lead
/// to a file elsewhere, so both are refused, for reading and writing. Reading opens the name without
/// following a link and checks what it opened; writing goes to a new file in the same folder, then
/// renames it over the old one, so a reader never sees half a file and a link swapped in meanwhile
/// is replaced, never written through.
public struct ChangelogFolder: Sendable {
    /// Why the changelog could not be read or written; its description is the message the model reads.
    public enum Failure: Error, Hashable, CustomStringConvertible {
        case symbolicLink
        case hardLinks(Int)
        case notARegularFile
        case tooLarge(bytes: Int)
        case notUTF8
        case system(String, Int32)

        public var description: String {
            let name = ChangelogFolder.fileName
            return switch self {
            case .symbolicLink: "\(name) is a symbolic link; this server only touches files inside its folder"
            case .hardLinks(let count):
                "\(name) has \(count) hard links; this server only touches files that are not shared with others"
            case .notARegularFile: "\(name) is not a regular file"
            case .tooLarge(let bytes):
                "\(name) has \(bytes) bytes; this server reads at most \(ChangelogFolder.maximumSize)"
            case .notUTF8: "\(name) is not UTF-8 text"
            case .system(let what, let code): "\(what) \(name): \(String(cString: strerror(code)))"
            }
        }
    }

    /// The file's name in the folder.
    public static let fileName = "CHANGELOG.md"
    /// The largest changelog read, in bytes.
    public static let maximumSize = 4 << 20

    /// The folder whose changelog this is.
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    private var path: String { folder.appendingPathComponent(Self.fileName).path }

    /// The changelog's text; `nil` when the folder has none.
    public func read() throws(Failure) -> String? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw .symbolicLink
            case let code: throw .system("cannot open", code)
            }
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .system("cannot inspect", errno) }
        try Self.check(status)
        guard Int(status.st_size) <= Self.maximumSize else { throw .tooLarge(bytes: Int(status.st_size)) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = readBytes(descriptor, &buffer, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system("cannot read", errno)
            }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= Self.maximumSize else { throw .tooLarge(bytes: data.count) }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        return text
    }

    /// Replaces the changelog with `text` (creating it when there is none), keeping its permissions.
    public func write(_ text: String) throws(Failure) {
        var status = stat()
        var mode: mode_t = 0o644
        if lstat(path, &status) == 0 {
            try Self.check(status)
            mode = status.st_mode & 0o7777
        } else if errno != ENOENT {
            throw .system("cannot inspect", errno)
        }
        let temporary = folder.appendingPathComponent(
            ".\(Self.fileName).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
        ).path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .system("cannot create a temporary file beside", errno) }
        var written = false
        defer {
            if !written { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw Failure.system("cannot set the permissions of", errno) }
            try Self.writeAll(Array(text.utf8), to: descriptor)
            guard fsync(descriptor) == 0 else { throw Failure.system("cannot write", errno) }
        }
        guard rename(temporary, path) == 0 else { throw .system("cannot replace", errno) }
        written = true
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { writeBytes(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system("cannot write", errno)
            }
            offset += count
        }
    }

    /// Refuses what is not a regular file with one link.
    private static func check(_ status: stat) throws(Failure) {
        switch status.st_mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): break
        case mode_t(S_IFLNK): throw .symbolicLink
        default: throw .notARegularFile
        }
        guard status.st_nlink <= 1 else { throw .hardLinks(Int(status.st_nlink)) }
    }
}

/// `read(2)`, which the method of the same name hides.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// `write(2)`, which the method of the same name hides.
private func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
