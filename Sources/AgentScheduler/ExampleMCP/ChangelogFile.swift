import Foundation

/// The text of a Keep a Changelog file, and the one edit the changelog MCP server makes to it: an
/// entry added under its kind in the `## [Unreleased]` section.
///
/// Text in, text out, no files (``ChangelogFolder`` reads and writes them). The edit creates what
/// is missing: the whole file from ``template``, the `## [Unreleased]` section (before the first
/// release), the `### Kind` heading (in Keep a Changelog's order of kinds). The new entry goes at the
/// end of its kind's list. Headings inside fenced code blocks are not headings; link definitions at
/// the end of the file stay at the end. Lines end as they did (`\r\n` files keep `\r\n`).
public struct ChangelogFile: Sendable, Hashable {
    /// A kind of change, named and ordered as Keep a Changelog has them.
    public enum Kind: String, CaseIterable, Sendable, Comparable {
        case added = "Added"
        case changed = "Changed"
        case deprecated = "Deprecated"
        case removed = "Removed"
        case fixed = "Fixed"
        case security = "Security"

        /// The kind named `name`: its exact name, or the same name in other letter case.
        public init?(named name: String) {
            guard let kind = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                return nil
            }
            self = kind
        }

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Why an entry was refused; its description is the message the model reads.
    public enum Refusal: Error, Hashable, CustomStringConvertible {
        case unknownKind(String)
        case emptyText
        case multipleLines
        case controlCharacters
        case tooLong(characters: Int)

        public var description: String {
            switch self {
            case .unknownKind(let name):
                "unknown kind \"\(name)\"; use one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            case .emptyText: "the entry's text is empty"
            case .multipleLines: "the entry's text must be one line, without line breaks"
            case .controlCharacters: "the entry's text holds control characters (only tabs are allowed)"
            case .tooLong(let count):
                "the entry's text has \(count) characters; at most \(ChangelogFile.maximumEntryLength) are allowed"
            }
        }
    }

    /// The longest entry text accepted, in characters.
    public static let maximumEntryLength = 500

    /// The start of a new changelog: Keep a Changelog's standard header.
    public static let template = """
        # Changelog

        All notable changes to this project will be documented in this file.

        The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
        and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

        """

    /// The whole text.
    public private(set) var text: String

    /// The changelog whose text is `text`; an empty `text` is a changelog not written yet.
    public init(text: String = "") {
        self.text = text
    }

    /// The `## [Unreleased]` section, from its heading to the next release (trailing blank lines and
    /// the file's closing link definitions left out); `nil` when there is none.
    public var unreleasedSection: String? {
        let document = Document(text)
        guard let section = document.unreleased() else { return nil }
        return document.lines[section.heading..<section.contentEnd].joined(separator: "\n")
    }

    /// `text` as an entry: spaces and tabs around it trimmed, or refused when it is empty, holds a
    /// line break or another control character (a terminal escape, say), or is longer than
    /// ``maximumEntryLength``.
    public static func entry(_ text: String) throws(Refusal) -> String {
        guard !text.contains(where: \.isNewline) else { throw .multipleLines }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) else {
            throw .controlCharacters
        }
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw .emptyText }
        guard trimmed.count <= maximumEntryLength else { throw .tooLong(characters: trimmed.count) }
        return trimmed
    }

    /// The kind named `name` (see ``Kind/init(named:)``), or a refusal naming the kinds there are.
    public static func kind(named name: String) throws(Refusal) -> Kind {
        guard let kind = Kind(named: name) else { throw .unknownKind(name) }
        return kind
    }

    /// Adds `- TEXT` at the end of the `### KIND` list of `## [Unreleased]`, creating the file's
    /// header, the section and the heading when they are missing; `entry` is checked by ``entry(_:)``.
    public mutating func add(_ entry: String, as kind: Kind) throws(Refusal) {
        let item = "- " + (try Self.entry(entry))
        var document = Document(text.allSatisfy(\.isWhitespace) ? Self.template : text)
        document.add(item, as: kind)
        self.text = document.text
    }
}

extension ChangelogFile {
    /// The changelog as lines, with the headings found outside fenced code blocks.
    fileprivate struct Document {
        struct Heading {
            var line: Int
            var level: Int
            var title: String
        }

        struct Section {
            /// The line of `## [Unreleased]`.
            var heading: Int
            /// Just after the section's last line that is neither blank nor a closing link definition.
            var contentEnd: Int
        }

        var lines: [String]
        let newline: String

        init(_ text: String) {
            newline = text.contains("\r\n") ? "\r\n" : "\n"
            var lines = text.components(separatedBy: newline)
            if lines.last == "" { lines.removeLast() }
            self.lines = lines
        }

        /// The text, every line ended.
        var text: String {
            lines.map { $0 + newline }.joined()
        }

        var headings: [Heading] {
            var headings: [Heading] = []
            var fence: Character?
            for (index, line) in lines.enumerated() {
                let content = line.droppingIndent()
                if let marker = content.first, marker == "`" || marker == "~",
                    content.hasPrefix(String(repeating: marker, count: 3))
                {
                    if fence == nil {
                        fence = marker
                    } else if fence == marker {
                        fence = nil
                    }
                    continue
                }
                guard fence == nil else { continue }
                let level = content.prefix { $0 == "#" }.count
                guard (1...6).contains(level) else { continue }
                let rest = content.dropFirst(level)
                guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { continue }
                headings.append(Heading(line: index, level: level, title: String(rest).trimmingSpaces()))
            }
            return headings
        }

        /// Where the last line that is neither blank nor (when `atEnd`) a link definition ends,
        /// looking back from `end` no further than `start`.
        func contentEnd(from start: Int, to end: Int, atEnd: Bool) -> Int {
            var end = end
            while end > start, lines[end - 1].isBlank || (atEnd && lines[end - 1].isLinkDefinition) {
                end -= 1
            }
            return end
        }

        func unreleased() -> Section? {
            let headings = headings
            guard let index = headings.firstIndex(where: { $0.level == 2 && $0.title.isUnreleased }) else {
                return nil
            }
            let next = headings[(index + 1)...].first { $0.level <= 2 }
            let end = contentEnd(from: headings[index].line + 1, to: next?.line ?? lines.count, atEnd: next == nil)
            return Section(heading: headings[index].line, contentEnd: end)
        }

        /// Inserts `block` at `index` with one blank line around it, unless one is there already.
        mutating func insert(_ block: [String], at index: Int) {
            var block = block
            if index > 0, !lines[index - 1].isBlank { block.insert("", at: 0) }
            if index < lines.count, !lines[index].isBlank { block.append("") }
            lines.insert(contentsOf: block, at: index)
        }

        mutating func add(_ item: String, as kind: Kind) {
            guard let section = unreleased() else {
                // Before the first release, else at the end (before closing link definitions).
                let firstRelease = headings.first { $0.level == 2 }?.line
                let at = firstRelease ?? contentEnd(from: 0, to: lines.count, atEnd: true)
                insert(["## [Unreleased]", "", "### \(kind.rawValue)", "", item], at: at)
                return
            }
            let subheadings = headings.filter { $0.line > section.heading && $0.line < section.contentEnd }
            if let own = subheadings.firstIndex(where: { $0.level == 3 && Kind(named: $0.title) == kind }) {
                let start = subheadings[own].line
                let end = subheadings[(own + 1)...].first { $0.level <= 3 }?.line ?? section.contentEnd
                let last = contentEnd(from: start + 1, to: end, atEnd: false)
                if last > start + 1 {
                    lines.insert(item, at: last)
                } else {
                    insert([item], at: start + 1)
                }
                return
            }
            let later = subheadings.first { heading in
                heading.level == 3 && Kind(named: heading.title).map { $0 > kind } == true
            }
            insert(["### \(kind.rawValue)", "", item], at: later?.line ?? section.contentEnd)
        }
    }
}

extension StringProtocol {
    fileprivate var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" } }

    /// `[label]: destination`, as Keep a Changelog ends a file with its version links.
    fileprivate var isLinkDefinition: Bool {
        let content = droppingIndent()
        guard content.first == "[", let close = content.firstIndex(of: "]") else { return false }
        return content[close...].hasPrefix("]:")
    }

    /// The title of `## [Unreleased]`, `## Unreleased`, or the same with a date or link after it.
    fileprivate var isUnreleased: Bool {
        let title = lowercased()
        return title.hasPrefix("[unreleased]") || title == "unreleased" || title.hasPrefix("unreleased ")
    }

    /// Without up to three leading spaces (more make an indented code block, not a heading).
    fileprivate func droppingIndent() -> SubSequence {
        var start = startIndex
        var count = 0
        while start < endIndex, self[start] == " ", count < 3 {
            start = index(after: start)
            count += 1
        }
        return self[start...]
    }

    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
