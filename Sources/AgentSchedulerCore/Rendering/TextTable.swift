/// A plain-text table: a header row, columns padded to their widest cell, numbers aligned right.
///
/// Widths count terminal columns (two for CJK and emoji); control characters in cells are shown
/// escaped (`\n`, `\r`, `\t`, `␛`; `TerminalText`) so that every row stays one line; no line ends in spaces.
public struct TextTable: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable {
        case left, right
    }

    public var headers: [String]
    public var alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    /// A table whose columns are all left-aligned unless `alignments` says otherwise.
    public init(headers: [String], alignments: [Alignment]? = nil) {
        precondition(alignments == nil || alignments!.count == headers.count, "one alignment per column")
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "one cell per column")
        rows.append(row.map(Self.visible))
    }

    public func render() -> String {
        let all = [headers] + rows
        let widths = all.map { $0.map(Self.width) }
        let columnWidths = headers.indices.map { column in widths.map { $0[column] }.max() ?? 0 }
        var text = ""
        for (index, row) in all.enumerated() {
            if index > 0 { text += "\n" }
            var line = ""
            for (column, cell) in row.enumerated() {
                if column > 0 { line += "  " }
                let padding = String(repeating: " ", count: columnWidths[column] - widths[index][column])
                line += alignments[column] == .right ? padding + cell : cell + padding
            }
            while line.last == " " { line.removeLast() }
            text += line
        }
        return text
    }

    /// Code points that take two terminal columns.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]

    /// The columns `text` takes in a terminal: two for each wide character (CJK, emoji), one for others.
    public static func width(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { total, character in
            let scalar = character.unicodeScalars.first!
            let wide =
                scalar.properties.isEmojiPresentation || wideRanges.contains { $0.contains(scalar.value) }
            return total + (wide ? 2 : 1)
        }
    }

    /// `cell` as one visible line: `TerminalText.visible(_:layout:)` with `.singleLine`.
    public static func visible(_ cell: String) -> String {
        TerminalText.visible(cell, layout: .singleLine)
    }
}
