/// Makes control characters visible in text meant for people, so a hostile issue, model answer,
/// tool output or file name cannot drive the terminal (OSC 52 clipboard writes, screen clears,
/// cursor moves, overwritten lines).
///
/// Apply `visible(_:layout:)` at the printing layer to every value that came from outside, and
/// only there: JSON output stays exact (its encoder escapes control characters itself), and
/// agentsched's own escape sequences (the live view's) are added after it. ESC becomes `␛`; the
/// other C0 and C1 controls and DEL become `\u{7}`-style escapes (`\r` for a carriage return);
/// bidirectional overrides become `<U+202E>`. Line breaks and tabs stay in a `.multiline` layout
/// and become `\n` and `\t` in a `.singleLine` one (a table cell, a progress line).
public enum TerminalText {
    /// Where the text goes.
    public enum Layout: Sendable {
        /// Free text on its own lines: `\n` and `\t` stay.
        case multiline
        /// One line of a table or a progress view: `\n` and `\t` are made visible too.
        case singleLine
    }

    /// `text` with every control character made visible.
    public static func visible(_ text: String, layout: Layout = .multiline) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        guard text.unicodeScalars.contains(where: { needsEscape($0, layout: layout) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, layout: layout) else {
                result.append(scalar)
                continue
            }
            result.append(contentsOf: picture(of: scalar).unicodeScalars)
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, layout: Layout) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: layout == .singleLine
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func picture(of scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x1B: "␛"
        case 0x0A: "\\n"
        case 0x09: "\\t"
        case 0x0D: "\\r"
        case 0x00...0x1F, 0x7F...0x9F: "\\u{\(String(scalar.value, radix: 16))}"
        default: "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
        }
    }
}
