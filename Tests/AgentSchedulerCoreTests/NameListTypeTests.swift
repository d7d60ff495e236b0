import Testing

@testable import AgentSchedulerCore

/// A place in a workspace file where a name (a tool, model, label, agent or alias) is written:
/// the file's text with `VALUE` standing for the name.
struct NameSlot: Sendable, CustomTestStringConvertible {
    var label: String
    var file: String
    var template: String
    /// The key the diagnostic names.
    var key: String
    /// What the diagnostic says the key must be.
    var expected: String

    var testDescription: String { label }

    /// The file's text with `value` in the slot.
    func text(with value: String) -> String {
        template.replacingOccurrences(of: "VALUE", with: value)
    }

    /// Where the value stands: the line and column of `VALUE` in the template.
    var location: (line: Int, column: Int) {
        let before = template[..<template.range(of: "VALUE")!.lowerBound]
        let line = before.count { $0 == "\n" } + 1
        let column = before.reversed().prefix { $0 != "\n" }.count + 1
        return (line, column)
    }
}

/// A plain scalar that YAML reads as something other than text, and how messages describe it.
struct NonString: Sendable, CustomTestStringConvertible {
    var text: String
    var kind: String

    var testDescription: String { "\(text) (\(kind))" }
}

@Suite("Names in lists are strings: numbers, booleans and nulls are type errors at their place")
struct NameListTypeTests {
    static let profile = "agents/p.yaml"
    static let policy = "policies/acme.yaml"
    static let team = ["agents/helper.yaml": "description: Helps.\n"]

    /// Every list of names, with the value as one item of a flow or block list.
    static let listItems: [NameSlot] = [
        NameSlot(
            label: "tools, flow list", file: profile, template: "description: Helps.\ntools: [read, VALUE]\n",
            key: "tools", expected: "a string"),
        NameSlot(
            label: "tools, block list", file: profile, template: "description: Helps.\ntools:\n  - read\n  - VALUE\n",
            key: "tools", expected: "a string"),
        NameSlot(
            label: "disallowed-tools", file: profile,
            template: "description: Helps.\ndisallowed-tools: [VALUE]\n", key: "disallowed-tools",
            expected: "a string"),
        NameSlot(
            label: "disallowedTools (Claude's spelling)", file: "agents/p.md",
            template: "---\ndescription: Helps.\ndisallowedTools: [VALUE]\n---\nHelp.\n", key: "disallowedTools",
            expected: "a string"),
        NameSlot(
            label: "model list", file: profile, template: "description: Helps.\nmodel: [gpt-4.1, VALUE]\n",
            key: "model", expected: "a string"),
        NameSlot(
            label: "tools in Copilot front matter", file: "agents/p.agent.md",
            template: "---\ndescription: Helps.\ntools: ['read', VALUE]\n---\nHelp.\n", key: "tools",
            expected: "a string"),
        NameSlot(
            label: "routing labels", file: profile,
            template: "description: Helps.\nrouting:\n  labels: [bug, VALUE]\n", key: "labels", expected: "a string"),
        NameSlot(
            label: "extends", file: profile, template: "description: Helps.\nextends: [VALUE]\n", key: "extends",
            expected: "a string"),
        NameSlot(
            label: "policy repositories[].agents", file: policy,
            template: "org: acme\nrepositories:\n  - match: \"acme/*\"\n    agents: [helper, VALUE]\n", key: "agents",
            expected: "a string"),
        NameSlot(
            label: "policy models.allow", file: policy, template: "org: acme\nmodels:\n  allow: [gpt-4.1, VALUE]\n",
            key: "allow", expected: "a string"),
        NameSlot(
            label: "catalog aliases", file: "policies/models.yaml",
            template: "default: gpt-4.1\nmodels:\n  gpt-4.1:\n    provider: openai\n    multiplier: 0\n"
                + "    aliases: [VALUE]\n",
            key: "aliases", expected: "a string"),
    ]

    /// The keys that also take one scalar (a name, or comma-separated names), with the value as that scalar.
    static let scalars: [NameSlot] = [
        NameSlot(
            label: "tools as one scalar", file: profile, template: "description: Helps.\ntools: VALUE\n", key: "tools",
            expected: "a list or a comma-separated string"),
        NameSlot(
            label: "tools as one scalar in Claude front matter", file: "agents/p.md",
            template: "---\ndescription: Helps.\ntools: VALUE\n---\nHelp.\n", key: "tools",
            expected: "a list or a comma-separated string"),
        NameSlot(
            label: "disallowed-tools as one scalar", file: profile,
            template: "description: Helps.\ndisallowed-tools: VALUE\n",
            key: "disallowed-tools", expected: "a list or a comma-separated string"),
        NameSlot(
            label: "model as one scalar", file: profile, template: "description: Helps.\nmodel: VALUE\n", key: "model",
            expected: "a string"),
        NameSlot(
            label: "routing labels as one scalar", file: profile,
            template: "description: Helps.\nrouting:\n  labels: VALUE\n", key: "labels",
            expected: "a list or a comma-separated string"),
        NameSlot(
            label: "extends as one scalar", file: profile, template: "description: Helps.\nextends: VALUE\n",
            key: "extends", expected: "a list or a comma-separated string"),
        NameSlot(
            label: "catalog aliases as one scalar", file: "policies/models.yaml",
            template: "default: gpt-4.1\nmodels:\n  gpt-4.1:\n    provider: openai\n    multiplier: 0\n"
                + "    aliases: VALUE\n",
            key: "aliases", expected: "a list or a comma-separated string"),
        NameSlot(
            label: "policy agents as one scalar", file: policy,
            template: "org: acme\nrepositories:\n  - match: \"acme/*\"\n    agents: VALUE\n", key: "agents",
            expected: "a list or a comma-separated string"),
        NameSlot(
            label: "policy models.allow as one scalar", file: policy, template: "org: acme\nmodels:\n  allow: VALUE\n",
            key: "allow", expected: "a list or a comma-separated string"),
    ]

    static let numbersAndBooleans = [
        NonString(text: "5", kind: "a number"), NonString(text: "-12", kind: "a number"),
        NonString(text: "1.5", kind: "a number"), NonString(text: "1_000", kind: "a number"),
        NonString(text: "0x1F", kind: "a number"), NonString(text: "2e3", kind: "a number"),
        NonString(text: ".inf", kind: "a number"), NonString(text: "true", kind: "a boolean"),
        NonString(text: "no", kind: "a boolean"),
    ]
    static let nulls = [NonString(text: "~", kind: "null"), NonString(text: "null", kind: "null")]

    func check(_ slot: NameSlot, _ value: NonString) throws {
        var files = Self.team
        files[slot.file] = slot.text(with: value.text)
        let loaded = try loadWorkspace(files)
        let (line, column) = slot.location
        let expected = ExpectedDiagnostic(
            line, column, .error, .typeMismatch, "'\(slot.key)' must be \(slot.expected), not \(value.kind)")
        #expect(
            loaded.diagnostics.filter { $0.code == .typeMismatch } == [expected.diagnostic(in: loaded.path(slot.file))])
        #expect(loaded.workspace.errors.contains { $0.code == .typeMismatch })
    }

    @Test(
        "a number or boolean item in a list of names is a type error at the item", arguments: listItems,
        numbersAndBooleans)
    func numberOrBooleanItem(slot: NameSlot, value: NonString) throws {
        try check(slot, value)
    }

    @Test("a null item in a list of names is a type error at the item", arguments: listItems, nulls)
    func nullItem(slot: NameSlot, value: NonString) throws {
        try check(slot, value)
    }

    @Test(
        "a number or boolean in place of a list of names is a type error at the value", arguments: scalars,
        numbersAndBooleans)
    func numberOrBooleanScalar(slot: NameSlot, value: NonString) throws {
        try check(slot, value)
    }

    /// The scalars for which null is a type error; `tools:` and `disallowed-tools:` left empty mean no tools.
    static var nullableScalars: [NameSlot] { scalars.filter { !["tools", "disallowed-tools"].contains($0.key) } }

    @Test("a null in place of a list of names is a type error at the value", arguments: nullableScalars, nulls)
    func nullScalar(slot: NameSlot, value: NonString) throws {
        try check(slot, value)
    }

    @Test("'tools:' and 'disallowed-tools:' left null mean no tools, not a type error")
    func nullToolsMeanNone() throws {
        let loaded = try loadWorkspace([Self.profile: "description: Helps.\ntools: ~\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("p")?.tools == ToolSet.none)
    }

    @Test(
        "a quoted number or boolean is a name, not a type error", arguments: listItems + scalars,
        [#""5""#, "'1.5'", #""true""#])
    func quotedStaysText(slot: NameSlot, value: String) throws {
        var files = Self.team
        files[slot.file] = slot.text(with: value)
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics.filter { $0.code == .typeMismatch } == [])
    }

    @Test("a quoted number in 'tools' reaches tool lookup as its text")
    func quotedToolNumberIsLookedUp() throws {
        let loaded = try loadWorkspace([Self.profile: "description: Helps.\ntools: [read, \"5\"]\n"])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 15, .warning, .unknownTool, "unknown tool '5' in 'tools'",
                    hint: "use read, search, edit, execute, agent, todo or web"
                ).diagnostic(in: loaded.path(Self.profile))
            ])
    }

    @Test("a comma-separated string with a number in it stays one string of names")
    func commaSeparatedStringIsText() throws {
        let loaded = try loadWorkspace([Self.profile: "description: Helps.\nrouting:\n  labels: \"5, bug\"\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("p")?.routing?.labels == ["5", "bug"])
    }
}
