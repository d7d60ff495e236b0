import AgentSchedulerCore
import Testing

@Suite("TerminalText: control characters made visible for people")
struct TerminalTextTests {
    @Test(
        "hostile sequences become visible text",
        arguments: [
            ("\u{1B}]52;c;SGVsbG8=\u{07}", "␛]52;c;SGVsbG8=\\u{7}"),
            ("\u{1B}[2J\u{1B}[H", "␛[2J␛[H"),
            ("over\rwrite", "over\\rwrite"),
            ("csi \u{9B}31m", "csi \\u{9b}31m"),
            ("del\u{7F}", "del\\u{7f}"),
            ("nul\u{0}", "nul\\u{0}"),
            ("evil\u{202E}txt", "evil<U+202E>txt"),
        ])
    func hostile(text: String, expected: String) {
        #expect(TerminalText.visible(text) == expected)
        #expect(TerminalText.visible(text, layout: .singleLine) == expected)
    }

    @Test("line breaks and tabs stay in multiline text and are escaped on one line")
    func layout() {
        #expect(TerminalText.visible("a\n\tb") == "a\n\tb")
        #expect(TerminalText.visible("a\n\tb", layout: .singleLine) == "a\\n\\tb")
    }

    @Test("ordinary text, accents, CJK and emoji pass unchanged", arguments: ["plain", "café ✓", "日本語", "🚀 done"])
    func unchanged(text: String) {
        #expect(TerminalText.visible(text) == text)
        #expect(TerminalText.visible(text, layout: .singleLine) == text)
    }

    @Test("making text visible twice changes nothing more")
    func idempotent() {
        let once = TerminalText.visible("\u{1B}[2J\r\n\u{7}", layout: .singleLine)
        #expect(TerminalText.visible(once, layout: .singleLine) == once)
    }

    @Test("table cells use the same escaping")
    func tableCells() {
        var table = TextTable(headers: ["A"])
        table.append(["x\u{1B}[2Jy"])
        #expect(table.render() == "A\nx␛[2Jy")
    }
}
