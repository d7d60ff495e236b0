import AgentSchedulerCore

/// A piece of HTML markup that can only be built safely.
///
/// Text is always escaped (`& < > " '`) and its control characters and terminal escape sequences
/// are made visible (`TerminalText`), so issue titles, bodies, model and tool output, event lines
/// and user names can be passed as they came. Element and attribute names are string literals of
/// the code (`StaticString`), never data; attribute values are always quoted and escaped; event
/// handler (`on…`) and `style` attributes are never written (the pages run under a strict CSP);
/// and a URL attribute (`href`, `src`, `action`) whose value is not a same-site path or an
/// `http(s)` URL is left out, so a hostile `javascript:` link cannot be made.
public struct HTML: Sendable, Hashable, CustomStringConvertible {
    /// The markup, ready to send as `text/html; charset=utf-8`.
    public private(set) var markup: String

    private init(markup: String) {
        self.markup = markup
    }

    /// Nothing.
    public static let empty = HTML(markup: "")

    public var description: String { markup }

    /// `text`, escaped, with its control characters made visible; line breaks and tabs stay.
    public static func text(_ text: String) -> HTML {
        HTML(markup: escape(TerminalText.visible(normalizingLineBreaks(text), layout: .multiline)))
    }

    /// `text` on one line: line breaks and tabs are made visible too (`\n`, `\t`).
    public static func line(_ text: String) -> HTML {
        HTML(markup: escape(TerminalText.visible(normalizingLineBreaks(text), layout: .singleLine)))
    }

    /// The pieces one after the other.
    public init(_ pieces: [HTML]) {
        markup = pieces.map(\.markup).joined()
    }

    /// The pieces one after the other.
    public init(_ pieces: HTML...) {
        self.init(pieces)
    }

    /// `lhs` then `rhs`.
    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        HTML(markup: lhs.markup + rhs.markup)
    }

    /// Appends `other`.
    public static func += (lhs: inout HTML, rhs: HTML) {
        lhs.markup += rhs.markup
    }

    /// `<name attributes…>children…</name>`; a void element (`input`, `meta`, `link`, `br`…) has
    /// no children and no end tag.
    ///
    /// An attribute whose value is `nil` is left out; `""` writes a boolean attribute
    /// (`selected=""`). Names must be lowercase-or-camelCase ASCII letters, digits and `-`; an
    /// invalid name, an `on…` name and `style` are dropped.
    public static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?>, _ children: [HTML]
    ) -> HTML {
        let tag = name.description
        guard isValidName(tag) else { return HTML(children) }
        var markup = "<" + tag
        for (key, value) in attributes {
            let attribute = key.description
            guard let value, isAllowedAttribute(attribute), isSafe(value, for: attribute) else { continue }
            markup += " \(attribute)=\"\(escape(TerminalText.visible(value, layout: .singleLine)))\""
        }
        markup += ">"
        guard !voidElements.contains(tag) else { return HTML(markup: markup) }
        for child in children { markup += child.markup }
        markup += "</\(tag)>"
        return HTML(markup: markup)
    }

    /// `element(name, attributes, children)` with the children listed.
    public static func element(
        _ name: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], _ children: HTML...
    ) -> HTML {
        element(name, attributes, children)
    }

    /// The only script the pages load: `/assets/app.js`, deferred.
    public static let script = HTML(markup: "<script src=\"/assets/app.js\" defer></script>")

    /// `<!DOCTYPE html>` and the root element: the start of every page.
    static func document(language: String, _ children: [HTML]) -> HTML {
        HTML(markup: "<!DOCTYPE html>\n") + element("html", ["lang": language], children)
    }
}
