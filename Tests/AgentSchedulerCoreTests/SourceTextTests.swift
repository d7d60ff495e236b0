import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Source text")
struct SourceTextTests {
    static let saveAsUTF8 = "save the file as UTF-8"
    static let legacyHint = "save the file as UTF-8 (it looks like Latin-1 or another legacy encoding)"

    private func decodeError(_ bytes: [UInt8]) -> Diagnostic? {
        do {
            _ = try SourceText.decode(bytes, path: "f.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "decodes UTF-8 and drops a UTF-8 byte-order mark",
        arguments: [
            ([0x61, 0x3A, 0x20, 0x62], "a: b"), ([0xEF, 0xBB, 0xBF, 0x61], "a"),
            ([0x63, 0x61, 0x66, 0xC3, 0xA9], "café"),
            ([], ""), ([0xEF, 0xBB, 0xBF], ""), ([0xF0, 0x9F, 0x98, 0x80], "😀"),
        ] as [([UInt8], String)])
    func decodes(bytes: [UInt8], text: String) throws {
        #expect(try SourceText.decode(bytes, path: "f.yaml") == text)
    }

    @Test(
        "names the encoding problem and the line and column (in scalars) of the first bad byte",
        arguments: [
            (
                [0x61, 0xE9, 0x62],
                ExpectedDiagnostic(1, 2, .error, .encoding, "invalid UTF-8 byte 0xE9", hint: legacyHint)
            ),
            (
                Array("a: 1\nb: ü".utf8) + [0xFC],
                ExpectedDiagnostic(2, 5, .error, .encoding, "invalid UTF-8 byte 0xFC", hint: legacyHint)
            ),
            ([0x61, 0xC3], ExpectedDiagnostic(1, 2, .error, .encoding, "invalid UTF-8 byte 0xC3", hint: legacyHint)),
            ([0xC0, 0xAF], ExpectedDiagnostic(1, 1, .error, .encoding, "invalid UTF-8 byte 0xC0", hint: legacyHint)),
            (
                [0xED, 0xA0, 0x80],
                ExpectedDiagnostic(1, 1, .error, .encoding, "invalid UTF-8 byte 0xED", hint: legacyHint)
            ),
            (
                [0xEF, 0xBB, 0xBF, 0x0A, 0x61, 0x80],
                ExpectedDiagnostic(2, 2, .error, .encoding, "invalid UTF-8 byte 0x80", hint: legacyHint)
            ),
            (
                [0xFE, 0xFF, 0x00, 0x61],
                ExpectedDiagnostic(
                    1, 1, .error, .encoding, "file is UTF-16 or UTF-32 encoded; agentsched reads UTF-8",
                    hint: saveAsUTF8)
            ),
            (
                [0xFF, 0xFE, 0x00, 0x00],
                ExpectedDiagnostic(
                    1, 1, .error, .encoding, "file is UTF-16 or UTF-32 encoded; agentsched reads UTF-8",
                    hint: saveAsUTF8)
            ),
            (
                [0x61, 0x0A, 0x62, 0x63, 0x00, 0xE9],
                ExpectedDiagnostic(
                    2, 3, .error, .encoding, "file contains a NUL byte: it is binary or UTF-16, not UTF-8 text",
                    hint: saveAsUTF8)
            ),
        ] as [([UInt8], ExpectedDiagnostic)])
    func refuses(bytes: [UInt8], expected: ExpectedDiagnostic) {
        #expect(decodeError(bytes) == expected.diagnostic(in: "f.yaml"))
    }

    @Test("reads a file within the byte limit, and refuses one over it")
    func limits() throws {
        try withTemporaryFolder { root in
            try writeFile("description: x\n", to: "small.yaml", in: root)
            let text = try SourceText.read(path: root + "/small.yaml", limits: YAMLLimits(maxBytes: 15))
            #expect(text == SourceText(path: root + "/small.yaml", text: "description: x\n"))
            #expect(
                throws: ExpectedDiagnostic(
                    1, 1, .error, .tooLarge, "file is 15 bytes, more than the 14 bytes agentsched reads",
                    hint: "profiles and policies are small; check that this is the file you meant"
                ).diagnostic(in: root + "/small.yaml")
            ) {
                try SourceText.read(path: root + "/small.yaml", limits: YAMLLimits(maxBytes: 14))
            }
            #expect(
                throws: ExpectedDiagnostic(1, 1, .error, .unreadableFile, "cannot read file: No such file or directory")
                    .diagnostic(in: root + "/missing.yaml")
            ) {
                try SourceText.read(path: root + "/missing.yaml")
            }
        }
    }

    @Test(
        "byte counts read like people write them",
        arguments: [
            (0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KiB"), (1536, "1.5 KiB"), (1 << 20, "1 MiB"),
            (50 << 20, "50 MiB"), ((50 << 20) + 1, "50.0 MiB"), (3 << 30, "3 GiB"),
        ])
    func byteCount(bytes: Int, text: String) {
        #expect(ByteCount(bytes).description == text)
    }
}
