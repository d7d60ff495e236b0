import Foundation
import Testing

@testable import AgentSchedulerCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hostile or broken files in a workspace: each gives exactly one diagnostic naming the file, and loading
/// returns (no hang, no exhausted memory).
@Suite("Bad input files", .timeLimit(.minutes(1)))
struct BadInputFileTests {
    /// A file that cannot be written as a plain string.
    struct BadFile: Sendable, CustomTestStringConvertible {
        var label: String
        var make: @Sendable (String) throws -> Void
        var expected: ExpectedDiagnostic
        var testDescription: String { label }
    }

    static let saveAsUTF8 = "save the file as UTF-8"
    /// libyaml's scanner looks ahead through every `[`, so its own limit (1,000 levels) trips first.
    static let deepFlowNesting = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
    static let deepBlockNesting = String(repeating: "- ", count: 10_000) + "x\n"
    static let nesting100 = String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"

    /// The classic "billion laughs": nine levels of nine aliases each.
    static let billionLaughs: String = {
        var lines = [#"a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]"#]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Five levels of the bomb (66,430 nodes in `e`, under the limit), then `e` used as a mapping key.
    static let aliasKeyBomb: String = {
        var lines = [#"a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]"#]
        let names = ["a", "b", "c", "d", "e"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        lines += ["? *e", ": boom"]
        return lines.joined(separator: "\n") + "\n"
    }()

    static let tooManyNodes = "document expands to more than 100000 YAML nodes"
    static let aliasHint = "aliases that refer to aliases multiply; write the values out or nest them less"

    static let cases: [BadFile] = [
        BadFile(
            label: "binary junk with a NUL byte (a PNG header)",
            make: {
                try writeFile(
                    Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]), to: "agents/x.yaml",
                    in: $0)
            },
            expected: ExpectedDiagnostic(
                3, 1, .error, .encoding, "file contains a NUL byte: it is binary or UTF-16, not UTF-8 text",
                hint: saveAsUTF8)),
        BadFile(
            label: "Latin-1 é on line 2",
            make: {
                try writeFile(
                    Data("name: x\ndescription: caf".utf8) + Data([0xE9]) + Data("\n".utf8), to: "agents/x.yaml", in: $0
                )
            },
            expected: ExpectedDiagnostic(
                2, 17, .error, .encoding, "invalid UTF-8 byte 0xE9",
                hint: "save the file as UTF-8 (it looks like Latin-1 or another legacy encoding)")),
        BadFile(
            label: "UTF-16 with a byte-order mark",
            make: {
                var bytes: [UInt8] = [0xFF, 0xFE]
                for unit in "description: x\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                try writeFile(Data(bytes), to: "agents/x.yaml", in: $0)
            },
            expected: ExpectedDiagnostic(
                1, 1, .error, .encoding, "file is UTF-16 or UTF-32 encoded; agentsched reads UTF-8", hint: saveAsUTF8)),
        BadFile(
            label: "UTF-16 without a byte-order mark",
            make: {
                var bytes: [UInt8] = []
                for unit in "description: x\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                try writeFile(Data(bytes), to: "agents/x.yaml", in: $0)
            },
            expected: ExpectedDiagnostic(
                1, 2, .error, .encoding, "file contains a NUL byte: it is binary or UTF-16, not UTF-8 text",
                hint: saveAsUTF8)),
        BadFile(
            label: "an empty file",
            make: { try writeFile("", to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(
                1, 1, .error, .emptyFile, "profile file is empty", hint: "a profile needs at least a 'description'")),
        BadFile(
            label: "a file of white space",
            make: { try writeFile("  \n\n\t\n   ", to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(
                1, 1, .error, .emptyFile, "profile file is empty", hint: "a profile needs at least a 'description'")),
        BadFile(
            label: "a file of comments",
            make: { try writeFile("# nothing here\n# yet\n", to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(
                1, 1, .error, .missingKey, "profile has no keys", hint: "a profile needs at least a 'description'")),
        BadFile(
            label: "a sparse 50 MB file",
            make: { root in
                try writeFile("", to: "agents/x.yaml", in: root)
                let handle = try #require(FileHandle(forWritingAtPath: root + "/agents/x.yaml"))
                try handle.truncate(atOffset: 50 << 20)
                try handle.close()
            },
            expected: ExpectedDiagnostic(
                1, 1, .error, .tooLarge, "file is 50 MiB, more than the 1 MiB agentsched reads",
                hint: "profiles and policies are small; check that this is the file you meant")),
        BadFile(
            label: "10,000 levels of flow nesting",
            make: { try writeFile(deepFlowNesting, to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(1, 1, .error, .tooLarge, "YAML nests deeper than 64 levels")),
        BadFile(
            label: "100 levels of flow nesting",
            make: { try writeFile(nesting100, to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(1, 65, .error, .tooLarge, "YAML nests deeper than 64 levels")),
        BadFile(
            label: "10,000 levels of block nesting",
            make: { try writeFile(deepBlockNesting, to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(1, 129, .error, .tooLarge, "YAML nests deeper than 64 levels")),
        BadFile(
            label: "the billion-laughs alias bomb",
            make: { try writeFile(billionLaughs, to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(6, 8, .error, .tooLarge, tooManyNodes, hint: aliasHint)),
        BadFile(
            label: "an alias bomb used as a mapping key",
            make: { try writeFile(aliasKeyBomb, to: "agents/x.yaml", in: $0) },
            expected: ExpectedDiagnostic(6, 3, .error, .tooLarge, tooManyNodes, hint: aliasHint)),
        BadFile(
            label: "a dangling symlink",
            make: { root in
                try FileManager.default.createDirectory(atPath: root + "/agents", withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(
                    atPath: root + "/agents/x.yaml", withDestinationPath: root + "/nowhere.yaml")
            },
            expected: ExpectedDiagnostic(1, 1, .error, .unreadableFile, "cannot read file: No such file or directory")),
        BadFile(
            label: "a folder named x.yaml",
            make: { root in
                try FileManager.default.createDirectory(
                    atPath: root + "/agents/x.yaml", withIntermediateDirectories: true)
            },
            expected: ExpectedDiagnostic(1, 1, .error, .unreadableFile, "cannot read file: it is a folder")),
        BadFile(
            label: "a FIFO named x.yaml",
            make: { root in
                try FileManager.default.createDirectory(atPath: root + "/agents", withIntermediateDirectories: true)
                #expect(mkfifo(root + "/agents/x.yaml", 0o644) == 0)
            },
            expected: ExpectedDiagnostic(
                1, 1, .error, .unreadableFile, "cannot read file: it is not a regular file (a FIFO, socket or device)")),
    ]

    @Test("a bad profile file gives exactly one diagnostic naming it", arguments: cases)
    func badProfile(file: BadFile) throws {
        let loaded = try loadWorkspace([:], prepare: file.make)
        #expect(loaded.diagnostics == [file.expected.diagnostic(in: loaded.path("agents/x.yaml"))])
        #expect(loaded.workspace.team.profiles.isEmpty)
        #expect(loaded.workspace.catalog?.models.count == 5)
    }

    @Test(
        "a bad policy or catalog file gives the same diagnostic, naming that file",
        arguments: ["policies/acme.yaml", "policies/models.yaml", "agentsched.yaml"])
    func badOtherFile(relative: String) throws {
        let loaded = try loadWorkspace(["agents/helper.yaml": "description: Helps.\nmodel: sonnet\n"]) { root in
            try writeFile(Data([0x6F, 0x72, 0x67, 0x3A, 0x20, 0x00]), to: relative, in: root)
        }
        let expected = ExpectedDiagnostic(
            1, 6, .error, .encoding, "file contains a NUL byte: it is binary or UTF-16, not UTF-8 text",
            hint: Self.saveAsUTF8)
        #expect(loaded.diagnostics == [expected.diagnostic(in: loaded.path(relative))])
        #expect(loaded.workspace.team.profiles.map(\.handle) == ["helper"])
    }

    @Test("empty policy and catalog files say which kind of file is empty")
    func emptyPolicyAndCatalog() throws {
        let loaded = try loadWorkspace(
            ["agents/helper.yaml": "description: Helps.\n", "policies/acme.yaml": "\n"], catalog: "# later\n")
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 1, .error, .emptyFile, "policy file is empty", hint: "a policy needs at least 'org: NAME'"
                )
                .diagnostic(in: loaded.path("policies/acme.yaml")),
                ExpectedDiagnostic(
                    1, 1, .error, .emptyFile, "model catalog is empty", hint: "list the models under 'models:'"
                )
                .diagnostic(in: loaded.path("policies/models.yaml")),
            ])
        #expect(loaded.workspace.catalog == nil)
        #expect(loaded.workspace.policies.isEmpty)
    }

    @Test("a UTF-8 byte-order mark is dropped, and the file loads without diagnostics")
    func utf8ByteOrderMark() throws {
        let loaded = try loadWorkspace([:]) { root in
            try writeFile(
                Data([0xEF, 0xBB, 0xBF]) + Data("description: Café helper.\nmodel: sonnet\n".utf8),
                to: "agents/bom.yaml",
                in: root)
            try writeFile(
                Data([0xEF, 0xBB, 0xBF]) + Data("---\ndescription: Marked down.\n---\nPrompt.\n".utf8),
                to: ".claude/agents/bom-md.md", in: root)
        }
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("bom")?.description == "Café helper.")
        #expect(loaded.profile("bom")?.models == ["claude-sonnet-4.5"])
        #expect(loaded.profile("bom-md")?.prompt == "Prompt.")
    }
}
