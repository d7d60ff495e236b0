import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The content search `search` ran before ripgrep (commit 8980a4a): a walk in name order with
/// `lstat` and `readdir`, each file read whole, an ICU regular expression over the file, then
/// over each line. Kept only to measure against.
enum LegacySearch {
    static func run(pattern: String, root: String, maxMatches: Int) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        var lines: [String] = []
        var matches = 0
        var pending = [(root, ".")]
        while let (absolute, relative) = pending.popLast() {
            var info = stat()
            guard lstat(absolute, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
                for name in names.sorted().reversed() where name.lowercased() != ".git" {
                    pending.append((absolute + "/" + name, relative == "." ? name : relative + "/" + name))
                }
            case S_IFREG:
                guard info.st_size <= 8 * 1024 * 1024, let data = FileManager.default.contents(atPath: absolute)
                else { continue }
                let bytes = [UInt8](data)
                guard !bytes.prefix(8192).contains(0) else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                guard regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { continue }
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = String(line)
                    guard regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil else {
                        continue
                    }
                    matches += 1
                    if lines.count < maxMatches { lines.append("\(relative):\(index + 1): \(line.prefix(300))") }
                }
            default:
                continue
            }
        }
        return lines.joined(separator: "\n") + (matches > lines.count ? "\n[\(lines.count) of \(matches)]" : "")
    }
}
