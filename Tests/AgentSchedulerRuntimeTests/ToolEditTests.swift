import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ToolEditTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String: any Sendable]
        /// The file the edit should leave, and its content.
        var file: String
        var content: String
        var message: String
        var testDescription: String { name }
    }

    static func sandbox() throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        try sandbox.write("a.txt", "alpha\nbeta\ngamma\nbeta\n")
        try sandbox.write("unique.txt", "one two three\n")
        return sandbox
    }

    static let cases: [Case] = [
        Case(
            name: "create", arguments: ["path": "new.txt", "content": "hello\n"], file: "new.txt", content: "hello\n",
            message: "Created new.txt (1 line, 6 bytes)"),
        Case(
            name: "create in new folders", arguments: ["path": "x/y/z.txt", "content": "deep"], file: "x/y/z.txt",
            content: "deep", message: "Created x/y/z.txt (1 line, 4 bytes)"),
        Case(
            name: "overwrite", arguments: ["path": "a.txt", "content": "new\ncontent\n"], file: "a.txt",
            content: "new\ncontent\n", message: "Overwrote a.txt (2 lines, 12 bytes)"),
        Case(
            name: "replace a unique string", arguments: ["path": "unique.txt", "old_string": "two", "new_string": "2"],
            file: "unique.txt", content: "one 2 three\n", message: "Replaced 1 occurrence in unique.txt"),
        Case(
            name: "replace with context",
            arguments: ["path": "a.txt", "old_string": "gamma\nbeta", "new_string": "G\nB"],
            file: "a.txt", content: "alpha\nbeta\nG\nB\n", message: "Replaced 1 occurrence in a.txt"),
        Case(
            name: "replace all",
            arguments: ["path": "a.txt", "old_string": "beta", "new_string": "BETA", "replace_all": true],
            file: "a.txt", content: "alpha\nBETA\ngamma\nBETA\n", message: "Replaced 2 occurrences in a.txt"),
        Case(
            name: "delete text", arguments: ["path": "unique.txt", "old_string": " two", "new_string": ""],
            file: "unique.txt", content: "one three\n", message: "Replaced 1 occurrence in unique.txt"),
    ]

    @Test(arguments: cases)
    func edits(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call("edit", toolArguments(testCase.arguments))
        #expect(!result.isError, "\(result.output)")
        #expect(result.output == testCase.message)
        #expect(sandbox.read(testCase.file) == testCase.content)
    }

    static let errorCases: [Case] = [
        Case(
            name: "no match", arguments: ["path": "a.txt", "old_string": "delta", "new_string": "d"], file: "a.txt",
            content: "", message: "old_string was not found in 'a.txt'"),
        Case(
            name: "two matches", arguments: ["path": "a.txt", "old_string": "beta", "new_string": "b"], file: "a.txt",
            content: "", message: "old_string matches 2 times in 'a.txt'; include more surrounding lines"),
        Case(
            name: "whitespace differs", arguments: ["path": "unique.txt", "old_string": "one  two", "new_string": "x"],
            file: "unique.txt", content: "", message: "old_string was not found"),
        Case(
            name: "replace in a missing file", arguments: ["path": "nope.txt", "old_string": "a", "new_string": "b"],
            file: "nope.txt", content: "", message: "'nope.txt' does not exist; to create it pass content"),
        Case(
            name: "content and old_string", arguments: ["path": "a.txt", "content": "x", "old_string": "alpha"],
            file: "a.txt", content: "", message: "not both"),
        Case(
            name: "old_string alone", arguments: ["path": "a.txt", "old_string": "alpha"], file: "a.txt", content: "",
            message: "old_string needs new_string"),
        Case(
            name: "new_string alone", arguments: ["path": "a.txt", "new_string": "alpha"], file: "a.txt", content: "",
            message: "new_string needs old_string"),
        Case(name: "nothing to do", arguments: ["path": "a.txt"], file: "a.txt", content: "", message: "pass content"),
        Case(
            name: "empty old_string", arguments: ["path": "a.txt", "old_string": "", "new_string": "x"], file: "a.txt",
            content: "", message: "old_string is empty"),
        Case(
            name: "same strings", arguments: ["path": "a.txt", "old_string": "alpha", "new_string": "alpha"],
            file: "a.txt", content: "", message: "old_string and new_string are the same"),
        Case(
            name: "a folder", arguments: ["path": "dir", "content": "x"], file: "dir", content: "",
            message: "'dir' is a folder"),
        Case(
            name: "the root", arguments: ["path": ".", "content": "x"], file: ".", content: "",
            message: "'.' is a folder"),
        Case(
            name: "content not a string", arguments: ["path": "a.txt", "content": ["x"]], file: "a.txt", content: "",
            message: "argument 'content' must be a string, not an array"),
        Case(
            name: "missing path", arguments: ["content": "x"], file: "a.txt", content: "",
            message: "missing required argument 'path'"),
        Case(
            name: "replace_all with content", arguments: ["path": "a.txt", "content": "x", "replace_all": true],
            file: "a.txt", content: "", message: "replace_all goes with old_string"),
    ]

    @Test(arguments: errorCases)
    func refusesBadEdits(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        try sandbox.makeFolder("dir")
        let before = sandbox.read("a.txt")
        let result = await sandbox.call("edit", toolArguments(testCase.arguments))
        #expect(result.isError)
        #expect(result.output.contains(testCase.message), "\(result.output)")
        #expect(sandbox.read("a.txt") == before)
        #expect(sandbox.read("unique.txt") == "one two three\n")
    }

    @Test func refusesBinaryFiles() async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("blob", bytes: [1, 0, 2])
        let result = await sandbox.call(
            "edit", toolArguments(["path": "blob", "old_string": "\u{1}", "new_string": "x"]))
        #expect(result.output.contains("is a binary file"))
    }

    @Test func keepsTheFileModeWhenOverwriting() async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("run.sh", "#!/bin/sh\n")
        let path = sandbox.root.appendingPathComponent("run.sh").path
        #expect(chmod(path, 0o755) == 0)
        _ = await sandbox.call("edit", toolArguments(["path": "run.sh", "content": "#!/bin/sh\necho hi\n"]))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
    }
}
