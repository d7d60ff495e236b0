import Foundation

/// The text of one file, read within limits and checked to be UTF-8.
///
/// Reading never hangs and never loads more than `limits.maxBytes + 1` bytes: FIFOs, devices
/// and folders are refused by type, large files by size, binary and non-UTF-8 files by content.
public struct SourceText: Sendable, Equatable {
    /// The path as given, used in every diagnostic about this file.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Reads `path`, or throws a diagnostic that names the file and says what is wrong.
    public static func read(path: String, limits: YAMLLimits = .default) throws(Diagnostic) -> SourceText {
        let start = SourceLocation(path: path)
        let status: FileStatus
        switch FileStatus.of(path) {
        case .success(let value): status = value
        case .failure(let failure):
            throw .error(.unreadableFile, "cannot read file: \(failure.reason)", at: start)
        }
        switch status.kind {
        case .regular: break
        case .directory:
            throw .error(.unreadableFile, "cannot read file: it is a folder", at: start)
        case .other:
            throw .error(
                .unreadableFile, "cannot read file: it is not a regular file (a FIFO, socket or device)", at: start)
        }
        if status.size > limits.maxBytes {
            throw .error(
                .tooLarge,
                "file is \(ByteCount(status.size)), more than the \(ByteCount(limits.maxBytes)) agentsched reads",
                hint: "profiles and policies are small; check that this is the file you meant", at: start)
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: limits.maxBytes + 1) ?? Data()
        } catch {
            throw .error(.unreadableFile, "cannot read file: \(error.localizedDescription)", at: start)
        }
        if data.count > limits.maxBytes {
            throw .error(.tooLarge, "file is larger than the \(ByteCount(limits.maxBytes)) agentsched reads", at: start)
        }
        return SourceText(path: path, text: try decode(Array(data), path: path))
    }

    /// Decodes UTF-8 (dropping a byte-order mark), or explains which encoding the bytes are in instead.
    public static func decode(_ bytes: [UInt8], path: String) throws(Diagnostic) -> String {
        let start = SourceLocation(path: path)
        let saveAsUTF8 = "save the file as UTF-8"
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .error(
                .encoding, "file is UTF-16 or UTF-32 encoded; agentsched reads UTF-8", hint: saveAsUTF8, at: start)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let nul = body.firstIndex(of: 0) {
            throw .error(
                .encoding, "file contains a NUL byte: it is binary or UTF-16, not UTF-8 text",
                hint: saveAsUTF8, at: location(of: nul, in: body, path: path))
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = body.makeIterator()
        var offset = body.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .error:
                let byte = String(body[offset], radix: 16, uppercase: true)
                throw .error(
                    .encoding, "invalid UTF-8 byte 0x\(byte.count == 1 ? "0" + byte : byte)",
                    hint: "\(saveAsUTF8) (it looks like Latin-1 or another legacy encoding)",
                    at: location(of: offset, in: body, path: path))
            case .emptyInput:
                return String(decoding: body, as: UTF8.self)
            }
        }
    }

    /// Line and column (in Unicode scalars) of a byte offset within valid UTF-8 that precedes it.
    private static func location(of offset: Int, in bytes: ArraySlice<UInt8>, path: String) -> SourceLocation {
        let before = bytes[bytes.startIndex..<offset]
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.startIndex
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(path: path, line: line, column: column)
    }
}

/// A byte count for people: `512 bytes`, `1 MiB`, `50.0 MiB`.
struct ByteCount: CustomStringConvertible {
    var bytes: Int

    init(_ bytes: Int) { self.bytes = bytes }

    var description: String {
        if bytes < 1024 { return "\(bytes) bytes" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = bytes
        var unit = -1
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let exact = bytes % (1 << (10 * (unit + 1))) == 0
        if exact { return "\(value) \(units[unit])" }
        let tenths = bytes * 10 / (1 << (10 * (unit + 1)))
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
