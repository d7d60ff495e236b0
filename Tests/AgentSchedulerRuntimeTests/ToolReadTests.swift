import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ToolReadTests {
    static let numbered = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String: any Sendable]
        var expected: String
        var testDescription: String { name }
    }

    static let happyCases: [Case] = [
        Case(name: "whole file", arguments: ["path": "notes.txt"], expected: "1\tfirst\n2\tsecond\n"),
        Case(
            name: "range", arguments: ["path": "numbered.txt", "start_line": 9, "end_line": 10],
            expected: " 9\tline 9\n10\tline 10\n[lines 9–10 of 12]"),
        Case(
            name: "start only", arguments: ["path": "numbered.txt", "start_line": 12],
            expected: "12\tline 12\n[lines 12–12 of 12]"),
        Case(
            name: "end past the end is clamped", arguments: ["path": "notes.txt", "end_line": 50],
            expected: "1\tfirst\n2\tsecond\n"),
        Case(
            name: "null arguments count as absent", arguments: ["path": "notes.txt", "start_line": NSNull()],
            expected: "1\tfirst\n2\tsecond\n"),
        Case(name: "empty file", arguments: ["path": "empty.txt"], expected: "(empty file)"),
        Case(name: "no final newline", arguments: ["path": "bare.txt"], expected: "1\tbare\n"),
        Case(
            name: "folder", arguments: ["path": "."],
            expected: "bare.txt\nempty.txt\nlink -> notes.txt\nnotes.txt\nnumbered.txt\nsub/"),
        Case(name: "subfolder", arguments: ["path": "sub"], expected: "a.swift"),
        Case(name: "empty folder", arguments: ["path": "sub/empty"], expected: "(empty folder)"),
        Case(name: "through an inside symlink", arguments: ["path": "link"], expected: "1\tfirst\n2\tsecond\n"),
    ]

    static func sandbox() throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        try sandbox.write("notes.txt", "first\nsecond\n")
        try sandbox.write("numbered.txt", numbered)
        try sandbox.write("empty.txt", "")
        try sandbox.write("bare.txt", "bare")
        try sandbox.write("sub/a.swift", "let a = 1\n")
        try sandbox.write(".git/config", "[core]\n")
        try sandbox.link("link", to: "notes.txt")
        return sandbox
    }

    @Test(arguments: happyCases)
    func reads(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        if testCase.name == "empty folder" { try sandbox.makeFolder("sub/empty") }
        let result = await sandbox.call("read", toolArguments(testCase.arguments))
        #expect(!result.isError, "\(result.output)")
        #expect(result.output == testCase.expected)
    }

    static let errorCases: [Case] = [
        Case(name: "missing path", arguments: [:], expected: "missing required argument 'path'"),
        Case(
            name: "unknown argument", arguments: ["path": "notes.txt", "lines": 3], expected: "unknown argument 'lines'"
        ),
        Case(
            name: "wrong type", arguments: ["path": "notes.txt", "start_line": "3"],
            expected: "argument 'start_line' must be an integer, not a string"),
        Case(
            name: "zero line", arguments: ["path": "notes.txt", "start_line": 0],
            expected: "argument 'start_line' must be at least 1; got 0"),
        Case(
            name: "fractional line", arguments: ["path": "notes.txt", "start_line": 1.5],
            expected: "argument 'start_line' must be a whole number"),
        Case(
            name: "path not a string", arguments: ["path": 7],
            expected: "argument 'path' must be a string, not a number"),
        Case(
            name: "end before start", arguments: ["path": "notes.txt", "start_line": 5, "end_line": 2],
            expected: "end_line (2) is before start_line (5)"),
        Case(
            name: "start past the end", arguments: ["path": "notes.txt", "start_line": 9],
            expected: "start_line 9 is past the end of 'notes.txt', which has 2 lines"),
        Case(name: "missing file", arguments: ["path": "nope.txt"], expected: "'nope.txt' does not exist"),
        Case(name: "binary file", arguments: ["path": "image.bin"], expected: "'image.bin' is a binary file"),
        Case(
            name: "range on a folder", arguments: ["path": "sub", "start_line": 1],
            expected: "'sub' is a folder; start_line and end_line apply to files"),
        Case(name: "FIFO", arguments: ["path": "pipe"], expected: "'pipe' is not a regular file"),
        Case(name: "too large", arguments: ["path": "numbered.txt"], expected: "over the 16 bytes read limit"),
    ]

    @Test(arguments: errorCases)
    func refusesBadReads(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        try sandbox.write("image.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2])
        #expect(mkfifo(sandbox.root.appendingPathComponent("pipe").path, 0o600) == 0)
        let limits = testCase.name == "too large" ? ToolLimits(maxFileBytes: 16) : ToolLimits()
        let result = await sandbox.call("read", toolArguments(testCase.arguments), limits: limits)
        #expect(result.isError)
        #expect(!result.refused)
        #expect(result.output.contains(testCase.expected), "\(result.output)")
    }

    @Test func cutsLongOutputAtALineAndSaysWhereToContinue() async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write(
            "big.txt", (1...500).map { "row \($0) " + String(repeating: "x", count: 50) }.joined(separator: "\n"))
        let result = await sandbox.call(
            "read", toolArguments(["path": "big.txt"]), limits: ToolLimits(maxOutputBytes: 1000))
        #expect(!result.isError)
        #expect(result.truncated)
        #expect(result.output.utf8.count < 1300)
        let note = try #require(result.output.split(separator: "\n").last)
        #expect(note.hasPrefix("[output truncated at 1000 bytes: showed lines 1–"))
        #expect(note.contains("of 500; read on with start_line "))
        // The note's continuation line is the line after the last one shown.
        let shown = result.output.split(separator: "\n").dropLast().last.flatMap {
            Int($0.split(separator: "\t")[0].trimmingCharacters(in: .whitespaces))
        }
        #expect(note.contains("start_line \((shown ?? 0) + 1)"))
    }

    @Test func cutsOverlongLines() async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("min.js", String(repeating: "a", count: 5000) + "\n")
        let result = await sandbox.call("read", toolArguments(["path": "min.js"]))
        #expect(result.truncated)
        #expect(result.output.contains("… [line cut: 3000 more characters]"))
    }

    @Test func listingLeavesOutGit() async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call("read", toolArguments(["path": ""]))
        #expect(!result.output.contains(".git"))
    }
}
