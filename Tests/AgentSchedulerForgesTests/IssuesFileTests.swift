import AgentSchedulerCore
import Testing

@testable import AgentSchedulerForges

/// `--issues-file`: the YAML form, GitHub's JSON form, and a diagnostic at its place for each problem.
@Suite("Issues file")
struct IssuesFileTests {
    /// A file that does not load, and every diagnostic it must give, in order.
    struct BadFile: Sendable, CustomTestStringConvertible {
        var label: String
        var contents: String
        var expected: [ExpectedDiagnostic]
        var testDescription: String { label }

        init(_ label: String, _ contents: String, _ expected: [ExpectedDiagnostic]) {
            self.label = label
            self.contents = contents
            self.expected = expected
        }
    }

    static let emptyMessage =
        "the issues file is empty; list issues under 'issues:', or give a JSON array of GitHub issues"
    static let missingNumber = "missing required key 'number'; give the issue's number, e.g. 'number: 12'"
    static let missingIssues =
        "missing required key 'issues'; list them like 'issues: [{number: 12, title: \"Fix the parser\"}]'"

    static let badFiles: [BadFile] = [
        BadFile("empty file", "", [ExpectedDiagnostic(1, 1, .error, emptyMessage)]),
        BadFile("only a comment", "# nothing yet\n", [ExpectedDiagnostic(1, 1, .error, emptyMessage)]),
        BadFile(
            "root is a string", "hello\n",
            [
                ExpectedDiagnostic(
                    1, 1, .error,
                    "the issues file must be a mapping with 'issues:' or a JSON array of issues, not a string")
            ]),
        BadFile(
            "YAML syntax error", "issues: [\n",
            [
                ExpectedDiagnostic(
                    2, 1, .error,
                    "invalid YAML: did not find expected node content (while parsing a flow node at line 2, column 1)")
            ]),
        BadFile("no issues key", "repository: acme/webapp\n", [ExpectedDiagnostic(1, 1, .error, missingIssues)]),
        BadFile(
            "misspelt issues key", "isues: []\n",
            [
                ExpectedDiagnostic(1, 1, .error, missingIssues),
                ExpectedDiagnostic(1, 1, .warning, "unknown key 'isues' in the issues file; did you mean 'issues'?"),
            ]),
        BadFile(
            "issues is a mapping", "issues: {number: 1}\n",
            [ExpectedDiagnostic(1, 9, .error, "'issues' must be a list, not a mapping")]),
        BadFile(
            "issues is null", "issues:\n", [ExpectedDiagnostic(1, 8, .error, "'issues' must be a list, not null")]),
        BadFile(
            "repository without a slash", "repository: acme\nissues: []\n",
            [
                ExpectedDiagnostic(
                    1, 13, .error,
                    "'repository' is 'acme'; it must be OWNER/NAME; for example 'repository: acme/webapp'")
            ]),
        BadFile(
            "repository with three parts", "repository: acme/web/app\nissues: []\n",
            [
                ExpectedDiagnostic(
                    1, 13, .error,
                    "'repository' is 'acme/web/app'; it must be OWNER/NAME; for example 'repository: acme/webapp'")
            ]),
        BadFile(
            "repository is empty", "repository: \"\"\nissues: []\n",
            [ExpectedDiagnostic(1, 13, .error, "'repository' is empty")]),
        BadFile("missing number", "issues:\n  - title: Fix it\n", [ExpectedDiagnostic(2, 5, .error, missingNumber)]),
        BadFile(
            "number is a word", "issues:\n  - number: twelve\n",
            [ExpectedDiagnostic(2, 13, .error, "'number' must be a whole number, not a string")]),
        BadFile(
            "number is quoted", "issues:\n  - number: \"12\"\n",
            [ExpectedDiagnostic(2, 13, .error, "'number' must be a whole number, not a string")]),
        BadFile(
            "number is a fraction", "issues:\n  - number: 1.5\n",
            [ExpectedDiagnostic(2, 13, .error, "'number' is 1.5; it must be a whole number, like 12")]),
        BadFile(
            "number is zero", "issues:\n  - number: 0\n",
            [ExpectedDiagnostic(2, 13, .error, "'number' is 0; it must be at least 1")]),
        BadFile(
            "number is negative", "issues:\n  - number: -4\n",
            [ExpectedDiagnostic(2, 13, .error, "'number' is -4; it must be at least 1")]),
        BadFile(
            "issue is a number", "issues:\n  - 12\n",
            [ExpectedDiagnostic(2, 5, .error, "each issue must be a mapping, not a number")]),
        BadFile(
            "title is a list", "issues:\n  - {number: 1, title: [a]}\n",
            [ExpectedDiagnostic(2, 24, .error, "'title' must be a string, not a list")]),
        BadFile(
            "body is a mapping", "issues:\n  - number: 1\n    body: {a: b}\n",
            [ExpectedDiagnostic(3, 11, .error, "'body' must be a string, not a mapping")]),
        BadFile(
            "labels is a mapping", "issues:\n  - {number: 1, labels: {a: b}}\n",
            [ExpectedDiagnostic(2, 25, .error, "'labels' must be a list or a comma-separated string, not a mapping")]),
        BadFile(
            "a label is null", "issues:\n  - {number: 1, labels: [a, null]}\n",
            [
                ExpectedDiagnostic(
                    2, 29, .error, "each label must be a string or a mapping with 'name', not null")
            ]),
        BadFile(
            "every problem in one file", "repository: acme\nissues:\n  - title: x\n  - number: many\n  - 7\n",
            [
                ExpectedDiagnostic(
                    1, 13, .error,
                    "'repository' is 'acme'; it must be OWNER/NAME; for example 'repository: acme/webapp'"),
                ExpectedDiagnostic(3, 5, .error, missingNumber),
                ExpectedDiagnostic(4, 13, .error, "'number' must be a whole number, not a string"),
                ExpectedDiagnostic(5, 5, .error, "each issue must be a mapping, not a number"),
            ]),
        BadFile(
            "JSON issue without a number", "[{\"title\": \"x\"}]\n", [ExpectedDiagnostic(1, 2, .error, missingNumber)]),
        BadFile(
            "JSON number is a string", "[{\"number\": \"3\"}]\n",
            [ExpectedDiagnostic(1, 13, .error, "'number' must be a whole number, not a string")]),
        BadFile(
            "JSON entries are not objects", "[1, \"x\"]\n",
            [
                ExpectedDiagnostic(1, 2, .error, "each issue must be a mapping, not a number"),
                ExpectedDiagnostic(1, 5, .error, "each issue must be a mapping, not a string"),
            ]),
        BadFile(
            "JSON label object without a name", "[{\"number\": 1, \"labels\": [{\"color\": \"d73a4a\"}]}]\n",
            [ExpectedDiagnostic(1, 27, .error, "missing required key 'name'; a label object needs its 'name'")]),
        BadFile(
            "JSON label name is empty", "[{\"number\": 1, \"labels\": [{\"name\": \" \"}]}]\n",
            [ExpectedDiagnostic(1, 36, .error, "'name' is empty")]),
    ]

    @Test(
        "a label that is a number, boolean or null is a type error at its place, in YAML and JSON",
        arguments: [
            ("issues:\n  - {number: 1, labels: [bug, 5]}\n", 2, 31, "a number"),
            ("issues:\n  - {number: 1, labels: [1.5]}\n", 2, 26, "a number"),
            ("issues:\n  - {number: 1, labels: [yes]}\n", 2, 26, "a boolean"),
            ("issues:\n  - {number: 1, labels: [~]}\n", 2, 26, "null"),
            ("[{\"number\": 1, \"labels\": [\"bug\", 7]}]\n", 1, 34, "a number"),
            ("[{\"number\": 1, \"labels\": [false]}]\n", 1, 27, "a boolean"),
        ])
    func nonTextLabel(contents: String, line: Int, column: Int, kind: String) throws {
        let (_, issues, diagnostics) = try readIssuesFile(contents)
        #expect(issues == nil)
        #expect(
            diagnostics.map(ExpectedDiagnostic.init) == [
                ExpectedDiagnostic(
                    line, column, .error, "each label must be a string or a mapping with 'name', not \(kind)")
            ])
    }

    @Test(
        "labels given as one number or boolean are a type error; quoted, they are label names",
        arguments: [
            ("issues:\n  - {number: 1, labels: 5}\n", "a number"),
            ("issues:\n  - {number: 1, labels: true}\n", "a boolean"),
        ])
    func nonTextLabels(contents: String, kind: String) throws {
        let (_, issues, diagnostics) = try readIssuesFile(contents)
        #expect(issues == nil)
        #expect(
            diagnostics.map(ExpectedDiagnostic.init) == [
                ExpectedDiagnostic(2, 25, .error, "'labels' must be a list or a comma-separated string, not \(kind)")
            ])
        let quoted = try readIssuesFile("issues:\n  - {number: 1, labels: [\"5\", 'true']}\n")
        #expect(quoted.diagnostics == [])
        #expect(quoted.issues?.issues.first?.labels == ["5", "true"])
    }

    @Test("a file that does not load gives each problem at its place", arguments: badFiles)
    func badFile(_ file: BadFile) throws {
        let (path, issues, diagnostics) = try readIssuesFile(file.contents)
        #expect(issues == nil)
        #expect(diagnostics.map(ExpectedDiagnostic.init) == file.expected)
        #expect(diagnostics.allSatisfy { $0.location.path == path })
    }

    @Test("the YAML form: flow and block issues, list and comma labels, defaults")
    func yamlForm() throws {
        let (_, issues, diagnostics) = try readIssuesFile(
            """
            repository: acme/webapp
            issues:
              - { number: 12, title: "Add tests for parser", body: "…", labels: [tests] }
              - number: 13
                title: Fix the flaky login test
                body: |
                  It fails one run in ten.
                labels: "bug, flaky tests"
              - number: 14
                body:
                labels: [{name: docs}]

            """)
        #expect(diagnostics == [])
        #expect(
            issues
                == IssueList(
                    repository: "acme/webapp",
                    issues: [
                        Issue(number: 12, title: "Add tests for parser", body: "…", labels: ["tests"]),
                        Issue(
                            number: 13, title: "Fix the flaky login test", body: "It fails one run in ten.\n",
                            labels: ["bug", "flaky tests"]),
                        Issue(number: 14, labels: ["docs"]),
                    ]))
    }

    @Test("the YAML form without a repository, and with no issues")
    func yamlWithoutRepository() throws {
        let (_, issues, diagnostics) = try readIssuesFile("issues: []\n")
        #expect(diagnostics == [])
        #expect(issues == IssueList(repository: nil, issues: []))
    }

    @Test("an unknown key is a warning with a suggestion; the issue still loads")
    func unknownKey() throws {
        let (_, issues, diagnostics) = try readIssuesFile("issues:\n  - number: 1\n    lables: [bug]\n")
        #expect(
            diagnostics.map(ExpectedDiagnostic.init) == [
                ExpectedDiagnostic(3, 5, .warning, "unknown key 'lables' in an issue; did you mean 'labels'?")
            ])
        #expect(issues == IssueList(issues: [Issue(number: 1)]))
    }

    @Test("GitHub's JSON: label objects or names, null body, other fields ignored, escapes and tabs")
    func jsonForm() throws {
        let (_, issues, diagnostics) = try readIssuesFile(
            """
            [
            \t{
            \t\t"url": "https://api.github.com/repos/acme/webapp/issues/12",
            \t\t"number": 12,
            \t\t"title": "Add tests for parser",
            \t\t"body": "See src\\/parser.swift \\u00e9\\r\\nThanks",
            \t\t"user": {"login": "octocat", "id": 1},
            \t\t"labels": [{"id": 208045946, "name": "tests", "color": "f29513", "default": false}],
            \t\t"state": "open",
            \t\t"locked": false,
            \t\t"assignee": null
            \t},
            \t{"number": 15, "title": "Crash on start", "body": null, "labels": ["bug", "p1"]},
            \t{"number": 16, "title": "No labels"}
            ]

            """, name: "issues.json")
        #expect(diagnostics == [])
        #expect(
            issues
                == IssueList(
                    repository: nil,
                    issues: [
                        Issue(
                            number: 12, title: "Add tests for parser", body: "See src/parser.swift é\r\nThanks",
                            labels: ["tests"]),
                        Issue(number: 15, title: "Crash on start", body: "", labels: ["bug", "p1"]),
                        Issue(number: 16, title: "No labels"),
                    ]))
    }

    @Test("pull requests in GitHub's JSON are skipped, each with a warning")
    func pullRequestsSkipped() throws {
        let (_, issues, diagnostics) = try readIssuesFile(
            """
            [
              {"number": 3, "title": "An issue"},
              {"number": 4, "title": "A pull request", "pull_request": {"url": "https://api.github.com/x"}},
              {"pull_request": {}}
            ]

            """, name: "issues.json")
        let hint = "GitHub's issues endpoint lists pull requests too"
        #expect(
            diagnostics.map(ExpectedDiagnostic.init) == [
                ExpectedDiagnostic(3, 3, .warning, "skipped #4: it is a pull request, not an issue; \(hint)"),
                ExpectedDiagnostic(4, 3, .warning, "skipped an entry: it is a pull request, not an issue; \(hint)"),
            ])
        #expect(issues == IssueList(issues: [Issue(number: 3, title: "An issue")]))
    }

    @Test(
        "a number listed twice is an error naming the first",
        arguments: [
            (
                "issues:\n  - number: 7\n  - number: 8\n  - {number: 7, title: again}\n",
                [ExpectedDiagnostic(4, 14, .error, "issue #7 is listed twice; first at line 2; list each issue once")]
            ),
            (
                "[{\"number\": 7}, {\"number\": 7}, {\"number\": 7}]\n",
                [
                    ExpectedDiagnostic(
                        1, 28, .error, "issue #7 is listed twice; first at line 1, column 13; list each issue once"),
                    ExpectedDiagnostic(
                        1, 43, .error, "issue #7 is listed twice; first at line 1, column 13; list each issue once"),
                ]
            ),
        ])
    func duplicates(contents: String, expected: [ExpectedDiagnostic]) throws {
        let (_, issues, diagnostics) = try readIssuesFile(contents)
        #expect(issues == nil)
        #expect(diagnostics.map(ExpectedDiagnostic.init) == expected)
    }

    @Test(
        "repository names are OWNER/NAME",
        arguments: [
            ("acme/webapp", true), ("my-org/web.app_2", true), ("acme", false), ("acme/", false), ("/webapp", false),
            ("a/b/c", false), ("acme/web app", false), ("acmé/webapp", false),
        ])
    func repositoryName(text: String, valid: Bool) {
        #expect(IssuesFile.isRepositoryName(text) == valid)
    }
}
