import Testing

@testable import AgentScheduler

@Suite("Changelog edits (the changelog MCP server's Markdown)")
struct ChangelogFileTests {
    /// One edit: the file before (empty: none), the entry, the file after.
    struct Edit: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: ChangelogFile.Kind
        var before: String
        var text: String
        var after: String

        var testDescription: String { name }
    }

    static let header = ChangelogFile.template

    static let edits: [Edit] = [
        Edit(
            name: "no file: the header, the section and the kind are created", kind: .added, before: "",
            text: "A changelog tool for the docs writer.",
            after: header + """

                ## [Unreleased]

                ### Added

                - A changelog tool for the docs writer.

                """),
        Edit(
            name: "a blank file counts as none", kind: .fixed, before: "\n  \n", text: "x",
            after: header + "\n## [Unreleased]\n\n### Fixed\n\n- x\n"),
        Edit(
            name: "no Unreleased section: it goes before the first release", kind: .fixed,
            before: """
                # Changelog

                ## [1.0.0] - 2026-01-01

                ### Added

                - First release.

                """,
            text: "Crash on empty input.",
            after: """
                # Changelog

                ## [Unreleased]

                ### Fixed

                - Crash on empty input.

                ## [1.0.0] - 2026-01-01

                ### Added

                - First release.

                """),
        Edit(
            name: "no release and no section: appended before the closing links", kind: .changed,
            before: "# Changelog\n\nSome words.\n\n[1.0.0]: https://example.com/1.0.0\n",
            text: "y",
            after:
                "# Changelog\n\nSome words.\n\n## [Unreleased]\n\n### Changed\n\n- y\n\n[1.0.0]: https://example.com/1.0.0\n"
        ),
        Edit(
            name: "an existing kind: the entry ends its list", kind: .fixed,
            before: """
                ## [Unreleased]

                ### Fixed

                - One.
                - Two.

                ## [1.0.0]

                ### Fixed

                - Old.

                """,
            text: "Three.",
            after: """
                ## [Unreleased]

                ### Fixed

                - One.
                - Two.
                - Three.

                ## [1.0.0]

                ### Fixed

                - Old.

                """),
        Edit(
            name: "the kind's heading matches in any letter case", kind: .fixed,
            before: "## [Unreleased]\n### fixed\n- One.\n### Security\n- S.\n", text: "Two.",
            after: "## [Unreleased]\n### fixed\n- One.\n- Two.\n### Security\n- S.\n"),
        Edit(
            name: "an empty kind heading gets its first entry", kind: .removed,
            before: "## [Unreleased]\n\n### Removed\n\n## [0.1.0]\n", text: "Old flag.",
            after: "## [Unreleased]\n\n### Removed\n\n- Old flag.\n\n## [0.1.0]\n"),
        Edit(
            name: "a new kind goes before the kinds that follow it", kind: .changed,
            before: "## [Unreleased]\n\n### Added\n\n- A.\n\n### Fixed\n\n- F.\n", text: "C.",
            after: "## [Unreleased]\n\n### Added\n\n- A.\n\n### Changed\n\n- C.\n\n### Fixed\n\n- F.\n"),
        Edit(
            name: "the first kind goes first", kind: .added,
            before: "## [Unreleased]\n\n### Security\n\n- S.\n", text: "A.",
            after: "## [Unreleased]\n\n### Added\n\n- A.\n\n### Security\n\n- S.\n"),
        Edit(
            name: "the last kind goes last, before the next release", kind: .security,
            before: "## [Unreleased]\n\n### Added\n\n- A.\n\n## [1.0.0] - 2026-01-01\n", text: "S.",
            after: "## [Unreleased]\n\n### Added\n\n- A.\n\n### Security\n\n- S.\n\n## [1.0.0] - 2026-01-01\n"),
        Edit(
            name: "an empty Unreleased section gets the kind", kind: .deprecated,
            before: "# Changelog\n\n## [Unreleased]\n\n## [1.0.0]\n", text: "D.",
            after: "# Changelog\n\n## [Unreleased]\n\n### Deprecated\n\n- D.\n\n## [1.0.0]\n"),
        Edit(
            name: "the section's last kind stays above the closing links", kind: .fixed,
            before: "## [Unreleased]\n\n### Added\n\n- A.\n\n[unreleased]: https://example.com/compare\n",
            text: "F.",
            after:
                "## [Unreleased]\n\n### Added\n\n- A.\n\n### Fixed\n\n- F.\n\n[unreleased]: https://example.com/compare\n"
        ),
        Edit(
            name: "headings in fenced code are not headings", kind: .fixed,
            before: "# Changelog\n\n```\n## [Unreleased]\n### Fixed\n```\n\n## [1.0.0]\n", text: "F.",
            after:
                "# Changelog\n\n```\n## [Unreleased]\n### Fixed\n```\n\n## [Unreleased]\n\n### Fixed\n\n- F.\n\n## [1.0.0]\n"
        ),
        Edit(
            name: "a linked or unbracketed Unreleased heading is found", kind: .added,
            before: "## Unreleased\n\n### Added\n\n- A.\n", text: "B.",
            after: "## Unreleased\n\n### Added\n\n- A.\n- B.\n"),
        Edit(
            name: "CRLF files keep CRLF", kind: .added, before: "## [Unreleased]\r\n\r\n### Added\r\n\r\n- A.\r\n",
            text: "B.", after: "## [Unreleased]\r\n\r\n### Added\r\n\r\n- A.\r\n- B.\r\n"),
        Edit(
            name: "spaces around the text are trimmed", kind: .added, before: "## [Unreleased]\n", text: "  B.\t",
            after: "## [Unreleased]\n\n### Added\n\n- B.\n"),
    ]

    @Test("an entry lands where Keep a Changelog puts it", arguments: edits)
    func edit(_ edit: Edit) throws {
        var file = ChangelogFile(text: edit.before)
        try file.add(edit.text, as: edit.kind)
        #expect(file.text == edit.after)
    }

    @Test(
        "entries that are not one short line are refused, and the text is left alone",
        arguments: [
            ("", ChangelogFile.Refusal.emptyText),
            (" \t ", .emptyText),
            ("one\ntwo", .multipleLines),
            ("one\r\ntwo", .multipleLines),
            ("trailing line break\n", .multipleLines),
            ("one\u{2028}two", .multipleLines),
            ("red \u{1B}[31malert", .controlCharacters),
            ("nul\u{0}", .controlCharacters),
            (String(repeating: "x", count: 501), .tooLong(characters: 501)),
        ])
    func refusals(text: String, refusal: ChangelogFile.Refusal) {
        let before = "## [Unreleased]\n"
        var file = ChangelogFile(text: before)
        #expect(throws: refusal) { try file.add(text, as: .fixed) }
        #expect(file.text == before)
    }

    @Test("500 characters are enough")
    func longestEntry() throws {
        var file = ChangelogFile()
        try file.add(String(repeating: "é", count: 500), as: .added)
        #expect(file.text.hasSuffix("- \(String(repeating: "é", count: 500))\n"))
    }

    @Test(
        "kinds are Keep a Changelog's six, in any letter case",
        arguments: [
            ("Added", ChangelogFile.Kind.added), ("fixed", .fixed), ("SECURITY", .security),
            ("Deprecated", .deprecated),
            ("Fix", nil), ("", nil), ("Added ", nil),
        ])
    func kinds(name: String, kind: ChangelogFile.Kind?) throws {
        if let kind {
            #expect(try ChangelogFile.kind(named: name) == kind)
            #expect(ChangelogFile.Kind(named: name) == kind)
        } else {
            #expect(throws: ChangelogFile.Refusal.unknownKind(name)) { try ChangelogFile.kind(named: name) }
        }
    }

    @Test("the kinds are in Keep a Changelog's order")
    func order() {
        #expect(
            ChangelogFile.Kind.allCases.map(\.rawValue) == [
                "Added", "Changed", "Deprecated", "Removed", "Fixed", "Security",
            ])
        #expect(ChangelogFile.Kind.allCases.sorted() == ChangelogFile.Kind.allCases)
    }

    @Test(
        "the Unreleased section reads up to the next release",
        arguments: [
            ("## [Unreleased]\n\n### Added\n\n- A.\n\n## [1.0.0]\n\n- Old.\n", "## [Unreleased]\n\n### Added\n\n- A."),
            ("# C\n\n## [Unreleased]\n- A.\n\n[unreleased]: https://example.com\n", "## [Unreleased]\n- A."),
            ("# C\n\n## [1.0.0]\n- Old.\n", nil),
            ("", nil),
        ])
    func unreleased(text: String, section: String?) {
        #expect(ChangelogFile(text: text).unreleasedSection == section)
    }
}
