import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ToolSearchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String: any Sendable]
        var expected: String
        var testDescription: String { name }
    }

    static func sandbox() throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        try sandbox.write("README.md", "# Parser\nThe parser reads YAML.\n")
        try sandbox.write("src/parser.swift", "struct Parser {\n    func parse() {}\n}\n")
        try sandbox.write("src/lexer.swift", "struct Lexer {}\n// TODO: parser hooks\n")
        try sandbox.write("src/deep/tokens.swift", "enum Token { case word }\n")
        try sandbox.write("docs/guide.md", "Use the Parser.\n")
        try sandbox.write(".git/HEAD", "ref: refs/heads/parser\n")
        try sandbox.write("sub/.git/config", "parser = yes\n")
        try sandbox.write("data.bin", bytes: [0x70, 0x61, 0x72, 0x73, 0x65, 0x72, 0, 1])
        try sandbox.link("outside-link", to: "../outside")
        return sandbox
    }

    static let cases: [Case] = [
        Case(
            name: "regex over contents", arguments: ["pattern": "parse"],
            expected:
                "README.md:2: The parser reads YAML.\nsrc/lexer.swift:2: // TODO: parser hooks\nsrc/parser.swift:2:     func parse() {}"
        ),
        Case(
            name: "ignore case", arguments: ["pattern": "^struct parser", "ignore_case": true],
            expected: "src/parser.swift:1: struct Parser {"),
        Case(
            name: "glob on names", arguments: ["pattern": "Parser", "glob": "*.md"],
            expected: "README.md:1: # Parser\ndocs/guide.md:1: Use the Parser."),
        Case(
            name: "under a path", arguments: ["pattern": "struct", "path": "src"],
            expected: "src/lexer.swift:1: struct Lexer {}\nsrc/parser.swift:1: struct Parser {"),
        Case(
            name: "a single file", arguments: ["pattern": "func", "path": "src/parser.swift"],
            expected: "src/parser.swift:2:     func parse() {}"),
        Case(
            name: "file names only", arguments: ["glob": "*.swift"],
            expected: "src/deep/tokens.swift\nsrc/lexer.swift\nsrc/parser.swift"),
        Case(
            name: "glob with a folder", arguments: ["glob": "src/*/*.swift"], expected: "src/deep/tokens.swift"),
        Case(
            name: "glob with **/", arguments: ["glob": "**/README.md"], expected: "README.md"),
        Case(
            name: "no match", arguments: ["pattern": "nothing-like-this"],
            expected: "No matches for /nothing-like-this/: 6 files searched in the worktree."),
        Case(
            name: "no file matches", arguments: ["glob": "*.rs", "path": "src"],
            expected: "No file names match '*.rs' under src."),
    ]

    @Test(arguments: cases)
    func searches(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call("search", toolArguments(testCase.arguments))
        #expect(!result.isError, "\(result.output)")
        #expect(result.output == testCase.expected)
    }

    static let errorCases: [Case] = [
        Case(name: "neither pattern nor glob", arguments: [:], expected: "give 'pattern'"),
        Case(
            name: "bad regex", arguments: ["pattern": "(unclosed"],
            expected: "'(unclosed' is not a valid regular expression"),
        Case(name: "empty pattern", arguments: ["pattern": ""], expected: "'pattern' is empty"),
        Case(
            name: "wrong type", arguments: ["pattern": "x", "ignore_case": "yes"],
            expected: "argument 'ignore_case' must be a boolean, not a string"),
        Case(name: "extra argument", arguments: ["pattern": "x", "regex": true], expected: "unknown argument 'regex'"),
        Case(
            name: "missing path", arguments: ["pattern": "x", "path": "nowhere"], expected: "'nowhere' does not exist"),
    ]

    @Test(arguments: errorCases)
    func refusesBadSearches(_ testCase: Case) async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call("search", toolArguments(testCase.arguments))
        #expect(result.isError)
        #expect(result.output.contains(testCase.expected), "\(result.output)")
    }

    @Test func neverFollowsSymlinksOrEntersGit() async throws {
        let sandbox = try Self.sandbox()
        let secret = await sandbox.call("search", toolArguments(["pattern": "classified|parser = yes|refs/heads"]))
        #expect(secret.output.hasPrefix("No matches"), "\(secret.output)")
        let through = await sandbox.call("search", toolArguments(["pattern": "classified", "path": "outside-link"]))
        #expect(through.refused)
    }

    @Test func capsMatchesAndCountsTheRest() async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("many.txt", (1...50).map { "hit \($0)" }.joined(separator: "\n"))
        try sandbox.write("more.txt", "hit again\n")
        let result = await sandbox.call(
            "search", toolArguments(["pattern": "hit"]), limits: ToolLimits(maxSearchMatches: 10))
        #expect(result.truncated)
        #expect(result.output.split(separator: "\n").count == 11)
        #expect(
            result.output.hasSuffix(
                "[10 of 51 matches shown, in 2 files; narrow the pattern, path or glob to see the rest]"))
    }
}
