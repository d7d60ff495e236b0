import Testing

@testable import AgentSchedulerCore

@Suite("Globs")
struct GlobTests {
    @Test(
        "`*` matches any run of characters and `?` one; everything else matches itself",
        arguments: [
            ("acme/*", "acme/webapp", true), ("acme/*", "acme/", true), ("acme/*", "acme", false),
            ("acme/*", "globex/webapp", false), ("acme/infra-*", "acme/infra-db", true),
            ("acme/infra-*", "acme/web", false), ("*", "", true), ("*", "anything/at/all", true), ("", "", true),
            ("", "a", false), ("gpt-?.1", "gpt-4.1", true), ("gpt-?.1", "gpt-41.1", false), ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false), ("*.md", "readme.md", true), ("*.md", "readme.mdx", false),
            ("a**b", "ab", true), ("claude-*", "Claude-Sonnet", false), ("[abc]", "[abc]", true),
            ("*ab", "aab", true), ("*a*a*a*", "aaa", true), ("*a*a*a*", "aa", false),
        ])
    func matches(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    @Test("matching can ignore case")
    func ignoringCase() {
        #expect(Glob("claude-*").matches("Claude-Sonnet", ignoringCase: true))
        #expect(Glob("ACME/*").matches("acme/web", ignoringCase: true))
        #expect(!Glob("ACME/*").matches("acme/web"))
    }

    @Test(
        "a pattern without wildcards is literal",
        arguments: [("acme/web", true), ("acme/*", false), ("gpt-?", false), ("", true)])
    func literal(pattern: String, isLiteral: Bool) {
        #expect(Glob(pattern).isLiteral == isLiteral)
        #expect(Glob(pattern).description == pattern)
    }
}
