/// A configuration value that may reference environment variables: `${NAME}`, `${NAME:-default}`,
/// `$NAME`, and GitHub's `${{ secrets.NAME }}` and `${{ vars.NAME }}` (all read `NAME` from
/// agentsched's environment).
///
/// The text is kept as written; `resolve` fills it. A filled value is a secret: callers hand it to
/// the one server it belongs to and to the redactor, and nowhere else.
public struct EnvironmentTemplate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The value as written, references unfilled; safe to print.
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The variables referenced, in order of appearance, without repeats.
    public var variables: [String] {
        var seen: [String] = []
        for case .variable(let name, _) in parts where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The value with every reference filled from `environment`.
    ///
    /// Throws `MissingVariables` naming every referenced variable that is unset and has no default.
    public func resolve(_ environment: [String: String]) throws(MissingVariables) -> String {
        var result = ""
        var missing: [String] = []
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .variable(let name, let fallback):
                // As in the shell, `${NAME:-default}` takes the default when NAME is unset or empty.
                if let value = environment[name], fallback == nil || !value.isEmpty {
                    result += value
                } else if let fallback {
                    result += fallback
                } else if !missing.contains(name) {
                    missing.append(name)
                }
            }
        }
        guard missing.isEmpty else { throw MissingVariables(names: missing) }
        return result
    }

    public var description: String { text }

    /// Variables a template needs that the environment lacks.
    public struct MissingVariables: Error, Sendable, Hashable, CustomStringConvertible {
        public var names: [String]

        public init(names: [String]) {
            self.names = names
        }

        public var description: String {
            (names.count == 1 ? "the variable " : "the variables ")
                + names.map { "$\($0)" }.joined(separator: ", ") + (names.count == 1 ? " is" : " are") + " not set"
        }
    }

    enum Part: Hashable {
        case literal(String)
        case variable(String, default: String?)
    }

    /// The text split into literals and references. A `$` that starts no reference is literal.
    var parts: [Part] {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while let first = rest.first {
            guard first == "$" else {
                literal.append(first)
                rest = rest.dropFirst()
                continue
            }
            if let (part, after) = Self.reference(in: rest) {
                flush()
                parts.append(part)
                rest = after
            } else {
                literal.append(first)
                rest = rest.dropFirst()
            }
        }
        flush()
        return parts
    }

    /// The reference `text` starts with (at its `$`), and what follows it.
    private static func reference(in text: Substring) -> (Part, Substring)? {
        let body = text.dropFirst()
        if body.hasPrefix("{{") {
            // ${{ secrets.NAME }} / ${{ vars.NAME }}
            guard let end = body.range(of: "}}") else { return nil }
            let inner = body[body.index(body.startIndex, offsetBy: 2)..<end.lowerBound].trimmingSpaces
            let pieces = inner.split(separator: ".", maxSplits: 1)
            guard pieces.count == 2, ["secrets", "vars", "env"].contains(pieces[0]), isName(pieces[1]) else {
                return nil
            }
            return (.variable(String(pieces[1]), default: nil), body[end.upperBound...])
        }
        if body.hasPrefix("{") {
            guard let close = body.firstIndex(of: "}") else { return nil }
            let inner = body[body.index(after: body.startIndex)..<close]
            let name: Substring
            var fallback: String?
            if let dash = inner.range(of: ":-") {
                name = inner[..<dash.lowerBound]
                fallback = String(inner[dash.upperBound...])
            } else {
                name = inner
            }
            guard isName(name) else { return nil }
            return (.variable(String(name), default: fallback), body[body.index(after: close)...])
        }
        let name = body.prefix { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard isName(name) else { return nil }
        return (.variable(String(name), default: nil), body[name.endIndex...])
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first == "_" || first.isASCII && first.isLetter else { return false }
        return text.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
