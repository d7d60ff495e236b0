import AgentSchedulerCore

/// A GitHub-flavoured Markdown table.
///
/// A `|` in a cell is escaped and line breaks become spaces, so odd names cannot break the table.
public struct MarkdownTable: Sendable, Hashable {
    public var headers: [String]
    public var alignments: [TextTable.Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [TextTable.Alignment]) {
        precondition(headers.count == alignments.count, "one alignment per column")
        self.headers = headers
        self.alignments = alignments
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "one cell per column")
        rows.append(row)
    }

    public func render() -> String {
        let rule = alignments.map { $0 == .right ? "---:" : "---" }
        return ([headers, rule] + rows).map { row in
            "| " + row.map(Self.cell).joined(separator: " | ") + " |"
        }.joined(separator: "\n")
    }

    static func cell(_ text: String) -> String {
        var cell = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": cell += "\\|"
            case "\n", "\r": cell += " "
            default: cell.unicodeScalars.append(scalar)
            }
        }
        return cell
    }
}
