import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Diagnostics")
struct DiagnosticTests {
    static let warning = Diagnostic.warning(
        .unknownKey, "unknown key 'modle' in agent profile", hint: "did you mean 'model'?",
        at: Location(path: "agents/a.yaml", line: 3, column: 1))
    static let error = Diagnostic.error(
        .missingKey, "missing required key 'description'", at: Location(path: "agents/a.yaml", line: 1, column: 1))

    @Test("renders as PATH:LINE:COLUMN: severity: message; hint")
    func description() {
        #expect(
            Self.warning.description
                == "agents/a.yaml:3:1: warning: unknown key 'modle' in agent profile; did you mean 'model'?")
        #expect(Self.error.description == "agents/a.yaml:1:1: error: missing required key 'description'")
        #expect(Diagnostic.error(.policy, "m", hint: "", at: Location(path: "p")).description == "p:1:1: error: m")
    }

    @Test("escalation turns a warning into an error and keeps the rest")
    func escalated() {
        let escalated = Self.warning.escalated()
        #expect(escalated.severity == .error)
        #expect(escalated.code == .unknownKey)
        #expect(escalated.message == Self.warning.message)
        #expect(escalated.hint == Self.warning.hint)
        #expect(escalated.location == Self.warning.location)
        #expect(Diagnostic.Severity.warning < .error)
    }

    @Test("sorts by path, line and column, then message")
    func ordering() {
        let later = Diagnostic.error(.policy, "a", at: Location(path: "agents/a.yaml", line: 3, column: 2))
        let otherFile = Diagnostic.error(.policy, "a", at: Location(path: "agents/b.yaml", line: 1, column: 1))
        let sameSpot = Diagnostic.error(.policy, "a", at: Location(path: "agents/a.yaml", line: 3, column: 1))
        #expect(
            [otherFile, later, Self.warning, sameSpot, Self.error].sorted() == [
                Self.error, sameSpot, Self.warning, later, otherFile,
            ])
    }

    @Test("encodes as one flat JSON object per problem, and decodes back")
    func json() throws {
        #expect(
            try StructuredOutput.json([Self.warning, Self.error]) == """
                [
                  {
                    "code" : "unknown-key",
                    "column" : 1,
                    "file" : "agents/a.yaml",
                    "hint" : "did you mean 'model'?",
                    "line" : 3,
                    "message" : "unknown key 'modle' in agent profile",
                    "severity" : "warning"
                  },
                  {
                    "code" : "missing-key",
                    "column" : 1,
                    "file" : "agents/a.yaml",
                    "line" : 1,
                    "message" : "missing required key 'description'",
                    "severity" : "error"
                  }
                ]
                """)
        let data = try JSONEncoder().encode([Self.warning, Self.error])
        #expect(try JSONDecoder().decode([Diagnostic].self, from: data) == [Self.warning, Self.error])
    }

    @Test(
        "codes are stable strings",
        arguments: [
            (DiagnosticCode.unreadableFile, "unreadable-file"), (.encoding, "encoding"), (.emptyFile, "empty-file"),
            (.tooLarge, "too-large"), (.yamlSyntax, "yaml-syntax"), (.frontMatter, "front-matter"),
            (.typeMismatch, "type-mismatch"), (.missingKey, "missing-key"), (.unknownKey, "unknown-key"),
            (.invalidValue, "invalid-value"), (.unknownTool, "unknown-tool"), (.unknownModel, "unknown-model"),
            (.retiredModel, "retired-model"),
            (.unknownAgent, "unknown-agent"), (.duplicate, "duplicate"), (.cycle, "cycle"), (.policy, "policy"),
        ])
    func codes(code: DiagnosticCode, text: String) {
        #expect(code.rawValue == text)
    }

    @Test("structured YAML output writes block style with plain strings where they read back the same")
    func yaml() throws {
        #expect(
            try StructuredOutput.yaml([Self.error]) == """
                - code: missing-key
                  column: 1
                  file: agents/a.yaml
                  line: 1
                  message: missing required key 'description'
                  severity: error

                """)
    }
}
