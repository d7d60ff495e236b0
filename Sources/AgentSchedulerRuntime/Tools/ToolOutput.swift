/// Shared shaping of tool output: cutting text to the byte limit with a note, and sizes in words.
enum ToolOutput {
    /// `text` cut at a line break so that it fits in `limit` bytes, with a note saying how much
    /// was cut and `hint` (how to ask for less).
    static func truncate(_ text: String, limit: Int, hint: String) -> (text: String, truncated: Bool) {
        let bytes = Array(text.utf8)
        guard bytes.count > limit else { return (text, false) }
        var end = max(0, limit)
        if let lineBreak = bytes[..<end].lastIndex(of: UInt8(ascii: "\n")), lineBreak > 0 {
            end = lineBreak + 1
        } else {
            // One long line: cut before a UTF-8 continuation byte never lands mid-character.
            while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        let cutLines = bytes[end...].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        let kept = String(decoding: bytes[..<end], as: UTF8.self)
        let note =
            "[output truncated at \(size(limit)): \(size(bytes.count - end)) (\(cutLines) lines) not shown; \(hint)]"
        return (kept + (kept.hasSuffix("\n") || kept.isEmpty ? "" : "\n") + note, true)
    }

    /// A byte count for people: `812 bytes`, `32 KiB`, `1.5 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }

    /// `1 line`, `3 lines`, `2 matches`.
    static func count(_ number: Int, _ noun: String, plural: String? = nil) -> String {
        "\(number) \(number == 1 ? noun : plural ?? noun + "s")"
    }
}
