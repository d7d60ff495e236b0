import Testing

@testable import AgentSchedulerCore

@Suite("Markdown front matter")
struct FrontMatterTests {
    static let frontMatterHint = "a Markdown profile starts with `---`, then YAML keys, then `---`, then the prompt"

    @Test("splits the YAML between the `---` lines from the body, and says where the body starts")
    func split() {
        #expect(
            FrontMatter.split("---\nname: a\ndescription: b\n---\nPrompt\nmore\n")
                == .success(FrontMatter.Split(yaml: "name: a\ndescription: b\n", body: "Prompt\nmore\n", bodyLine: 5)))
    }

    @Test("accepts `...` as the closing line, and spaces around the markers")
    func closers() {
        #expect(
            FrontMatter.split("---\ndescription: b\n...\nBody\n")
                == .success(FrontMatter.Split(yaml: "description: b\n", body: "Body\n", bodyLine: 4)))
        #expect(
            FrontMatter.split("---  \ndescription: b\n  ---\n")
                == .success(FrontMatter.Split(yaml: "description: b\n", body: "", bodyLine: 4)))
        #expect(FrontMatter.split("---\n---\n") == .success(FrontMatter.Split(yaml: "", body: "", bodyLine: 3)))
    }

    @Test("CRLF line ends split like LF ones (Windows editors write them)")
    func crlf() {
        #expect(
            FrontMatter.split("---\r\ndescription: b\r\n...\r\nBody\r\n")
                == .success(FrontMatter.Split(yaml: "description: b\r\n", body: "Body\r\n", bodyLine: 4)))
    }

    @Test(
        "refuses a file without front matter, or with front matter never closed",
        arguments: [
            ("# Title\n\nBody\n", "Markdown profile has no YAML front matter"),
            ("\n---\ndescription: x\n---\n", "Markdown profile has no YAML front matter"),
            ("---\ndescription: x\nBody\n", "YAML front matter opened on line 1 is never closed with `---`"),
            ("---", "YAML front matter opened on line 1 is never closed with `---`"),
            ("", "Markdown profile has no YAML front matter"),
        ])
    func failures(text: String, message: String) {
        #expect(FrontMatter.split(text) == .failure(FrontMatter.Failure(message: message, line: 1)))
    }

    @Test(
        "problems in front matter are reported at their line in the whole file",
        arguments: [
            FileCase(
                "type error on line 3", file: "agents/x.agent.md",
                "---\ndescription: x\ntools: {read: true}\n---\nBody\n",
                [
                    ExpectedDiagnostic(
                        3, 8, .error, .typeMismatch,
                        "'tools' must be a list or a comma-separated string, not a mapping")
                ]),
            FileCase(
                "syntax error on line 3", file: "agents/x.md",
                "---\ndescription: x\nmodel: a: b\n---\nBody\n",
                [
                    ExpectedDiagnostic(
                        3, 9, .error, .yamlSyntax, "invalid YAML: mapping values are not allowed in this context",
                        hint: "quote a value that contains `: `, or indent it as a nested mapping")
                ]),
            FileCase(
                "unknown tool in a comma string on line 3", file: ".claude/agents/x.md",
                "---\ndescription: x\ntools: Read, Bsh\n---\nBody\n",
                [
                    ExpectedDiagnostic(
                        3, 14, .warning, .unknownTool, "unknown tool 'Bsh' in 'tools'", hint: "did you mean 'bash'?")
                ]),
            FileCase(
                "duplicate key", file: "agents/x.md",
                "---\nname: x\ndescription: x\nname: y\n---\nBody\n",
                [
                    ExpectedDiagnostic(
                        2, 1, .error, .duplicate, "duplicate key 'name' in one mapping", hint: "keep one of them")
                ]),
            FileCase(
                "missing description points at the first key", file: "agents/x.md", "---\nname: x\n---\nBody\n",
                [
                    ExpectedDiagnostic(
                        2, 1, .error, .missingKey, "missing required key 'description'",
                        hint: "say in one line what the agent is for; routing and people read it")
                ]),
            FileCase(
                "nesting too deep on line 2", file: "agents/x.md",
                "---\ndescription: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
                    + "\n---\n",
                [ExpectedDiagnostic(2, 77, .error, .tooLarge, "YAML nests deeper than 64 levels")]),
            FileCase(
                "no front matter", file: "agents/x.md", "# Helper\n\nYou help.\n",
                [
                    ExpectedDiagnostic(
                        1, 1, .error, .frontMatter, "Markdown profile has no YAML front matter", hint: frontMatterHint)
                ]),
            FileCase(
                "unclosed front matter", file: "agents/x.agent.md", "---\ndescription: x\n\nYou help.\n",
                [
                    ExpectedDiagnostic(
                        1, 1, .error, .frontMatter, "YAML front matter opened on line 1 is never closed with `---`",
                        hint: frontMatterHint)
                ]),
            FileCase(
                "empty front matter", file: "agents/x.md", "---\n---\nYou help.\n",
                [
                    ExpectedDiagnostic(
                        1, 1, .error, .missingKey, "profile has no keys",
                        hint: "a profile needs at least a 'description'")
                ]),
        ])
    func offsets(file: FileCase) throws {
        let loaded = try loadWorkspace([file.file: file.text])
        #expect(loaded.diagnostics == file.expected.map { $0.diagnostic(in: loaded.path(file.file)) })
    }

    @Test("the body, trimmed, is the prompt")
    func body() throws {
        let loaded = try loadWorkspace(["agents/lf.md": "---\ndescription: LF.\n---\n\n  You help.\n\nReally.\n\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("lf")?.prompt == "You help.\n\nReally.")
    }

    @Test("a Markdown profile with CRLF line ends loads like one with LF")
    func crlfProfile() throws {
        let loaded = try loadWorkspace([
            "agents/crlf.md": "---\r\ndescription: CRLF.\r\nmodel: haiku\r\n---\r\nYou help.\r\n"
        ])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("crlf")?.prompt == "You help.")
        #expect(loaded.profile("crlf")?.description == "CRLF.")
        #expect(loaded.profile("crlf")?.models == ["claude-haiku-4.5"])
    }
}
