import Testing

@testable import AgentSchedulerCore

@Suite("YAML composer")
struct YAMLComposerTests {
    private func compose(
        _ text: String, lineOffset: Int = 0, limits: YAMLLimits = .default
    ) throws(Diagnostic)
        -> YAMLNode?
    {
        var composer = YAMLComposer(path: "f.yaml", lineOffset: lineOffset, limits: limits)
        return try composer.compose(text)
    }

    private func composeError(_ text: String, lineOffset: Int = 0, limits: YAMLLimits = .default) -> Diagnostic? {
        do {
            _ = try compose(text, lineOffset: lineOffset, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    private func at(_ line: Int, _ column: Int) -> Location {
        Location(path: "f.yaml", line: line, column: column)
    }

    /// The mapping's keys and values as plain text, in order.
    private func pairs(_ node: YAMLNode?) -> [String] {
        guard case .mapping(let pairs)? = node?.content else { return [] }
        return pairs.map { pair in
            let value: String
            switch pair.value.content {
            case .scalar(let scalar): value = scalar.string
            case .sequence(let items): value = "[" + items.compactMap { $0.scalar?.string }.joined(separator: ",") + "]"
            case .mapping: value = "{…}"
            }
            return "\(pair.key.scalar?.string ?? "?")=\(value)"
        }
    }

    @Test("every node remembers its 1-based line and column, shifted by the line offset")
    func locations() throws {
        let text = "name: x\ntools:\n  - read\n  - 'edit'\n"
        let root = try #require(try compose(text, lineOffset: 1))
        #expect(root.location == at(2, 1))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.map(\.key.location) == [at(2, 1), at(3, 1)])
        #expect(pairs[0].value.location == at(2, 7))
        guard case .sequence(let items) = pairs[1].value.content else {
            Issue.record("not a list")
            return
        }
        #expect(items.map(\.location) == [at(4, 5), at(5, 5)])
        #expect(items.map(\.scalar) == [YAMLScalar("read", isPlain: true), YAMLScalar("edit", isPlain: false)])
    }

    @Test("text without a document composes to nil", arguments: ["", "\n\n", "# only a comment\n", "---\n"])
    func noDocument(text: String) throws {
        #expect(try compose(text)?.isNull ?? true)
    }

    @Test(
        "scalars describe their kind for messages",
        arguments: [
            ("x: ~", "null"), ("x:", "null"), ("x: yes", "a boolean"), ("x: 42", "a number"), ("x: '42'", "a string"),
            ("x: hello", "a string"), ("x: [a]", "a list"), ("x: {a: 1}", "a mapping"), ("x: 1.5", "a number"),
            ("x: 'inf'", "a string"), ("x: inf", "a string"),
        ])
    func kindDescription(text: String, kind: String) throws {
        guard case .mapping(let pairs)? = try compose(text)?.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.first?.value.kindDescription == kind)
    }

    @Test("aliases are expanded to copies of the anchored node")
    func aliases() throws {
        let root = try compose("a: &x [1, 2]\nb: *x\n")
        #expect(pairs(root) == ["a=[1,2]", "b=[1,2]"])
    }

    @Test("`<<` merge keys bring in the anchored mapping; explicit keys win wherever they stand")
    func mergeKeys() throws {
        let text = """
            base: &base { provider: openai, multiplier: 0, rpm: 10 }
            model:
              multiplier: 7.5
              <<: *base
              rpm: 20

            """
        guard case .mapping(let top)? = try compose(text)?.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs(top[1].value) == ["multiplier=7.5", "rpm=20", "provider=openai"])
    }

    @Test("a list of merge sources: earlier sources win over later ones")
    func mergeList() throws {
        let text = """
            a: &a { x: from-a, y: from-a }
            b: &b { y: from-b, z: from-b }
            c:
              <<: [*a, *b]
              z: own

            """
        guard case .mapping(let top)? = try compose(text)?.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs(top[2].value) == ["z=own", "x=from-a", "y=from-a"])
    }

    @Test("a quoted `<<` is an ordinary key")
    func quotedMergeKey() throws {
        #expect(pairs(try compose("'<<': x\n")) == ["<<=x"])
    }

    @Test(
        "malformed input is reported at libyaml's line and column, with a hint where one helps",
        arguments: [
            (
                "description: a: b\n",
                ExpectedDiagnostic(
                    1, 15, .error, .yamlSyntax, "invalid YAML: mapping values are not allowed in this context",
                    hint: "quote a value that contains `: `, or indent it as a nested mapping")
            ),
            (
                "description: @foo\n",
                ExpectedDiagnostic(
                    1, 14, .error, .yamlSyntax,
                    "invalid YAML: found character that cannot start any token (while scanning for the next token at line 1, column 14)",
                    hint: "quote values that begin with `@`, `` ` `` or other reserved characters")
            ),
            (
                "description: x\ntools: [read, search\nmodel: sonnet\n",
                ExpectedDiagnostic(
                    3, 6, .error, .yamlSyntax,
                    "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 8)"
                )
            ),
            (
                "description: \"unterminated\n",
                ExpectedDiagnostic(
                    2, 1, .error, .yamlSyntax,
                    "invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 14)"
                )
            ),
            ("a: *nope\n", ExpectedDiagnostic(1, 4, .error, .yamlSyntax, "invalid YAML: found undefined alias")),
            (
                "<<: 5\n",
                ExpectedDiagnostic(
                    1, 5, .error, .typeMismatch, "a `<<` merge key takes a mapping or a list of mappings")
            ),
            ("<<: [5]\n", ExpectedDiagnostic(1, 6, .error, .typeMismatch, "a `<<` merge key takes only mappings")),
        ])
    func syntaxErrors(text: String, expected: ExpectedDiagnostic) {
        #expect(composeError(text) == expected.diagnostic(in: "f.yaml"))
    }

    @Test("syntax errors in front matter count lines from the top of the file")
    func syntaxErrorWithOffset() {
        #expect(
            composeError("description: x\ntools: [read, search\nmodel: sonnet\n", lineOffset: 1)
                == ExpectedDiagnostic(
                    4, 6, .error, .yamlSyntax,
                    "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 8)"
                ).diagnostic(in: "f.yaml"))
    }

    @Test("a duplicate key is an error at its first occurrence")
    func duplicateKey() {
        #expect(
            composeError("a: 1\nmapping:\n  c: 1\n  b: 2\n  b: 3\n")
                == ExpectedDiagnostic(
                    4, 3, .error, .duplicate, "duplicate key 'b' in one mapping", hint: "keep one of them"
                ).diagnostic(in: "f.yaml"))
    }

    @Test("limits on depth and expansion are the composer's own, and can be lowered")
    func lowerLimits() {
        #expect(
            composeError("a: [[[x]]]\n", limits: YAMLLimits(maxDepth: 3))
                == ExpectedDiagnostic(1, 6, .error, .tooLarge, "YAML nests deeper than 3 levels").diagnostic(
                    in: "f.yaml"))
        #expect(
            composeError("a: &a [x, x, x]\nb: [*a, *a]\n", limits: YAMLLimits(maxNodes: 10))
                == ExpectedDiagnostic(
                    2, 5, .error, .tooLarge, "document expands to more than 10 YAML nodes",
                    hint: "aliases that refer to aliases multiply; write the values out or nest them less"
                ).diagnostic(in: "f.yaml"))
        #expect(composeError("a: [[x]]\n", limits: YAMLLimits(maxDepth: 3)) == nil)
    }
}
