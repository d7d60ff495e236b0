/// Reads typed values out of a `YAMLNode` tree and collects a diagnostic for each value that
/// does not fit, so that one run reports every problem in a file.
///
/// Each read returns `nil` after reporting; callers go on with the next key.
public final class DocumentDecoder {
    public let path: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(path: String) {
        self.path = path
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public func error(_ code: DiagnosticCode, _ message: String, hint: String? = nil, at node: YAMLNode) {
        report(.error(code, message, hint: hint, at: node.location))
    }

    public func warning(_ code: DiagnosticCode, _ message: String, hint: String? = nil, at node: YAMLNode) {
        report(.warning(code, message, hint: hint, at: node.location))
    }

    public func typeMismatch(_ node: YAMLNode, expected: String, key: String) {
        error(.typeMismatch, "'\(key)' must be \(expected), not \(node.kindDescription)", at: node)
    }

    /// The root node of the YAML file at `path`, or `nil` after reporting why there is none.
    ///
    /// An empty document (nothing, or only comments) is reported as `whenEmpty` when given,
    /// and otherwise accepted silently (still `nil`).
    public func readRoot(limits: YAMLLimits, whenEmpty: (message: String, hint: String)?) -> YAMLNode? {
        do {
            let source = try SourceText.read(path: path, limits: limits)
            var composer = YAMLComposer(path: path, limits: limits)
            if let root = try composer.compose(source.text) { return root }
            if let whenEmpty {
                report(.error(.emptyFile, whenEmpty.message, hint: whenEmpty.hint, at: SourceLocation(path: path)))
            }
        } catch {
            report(error)
        }
        return nil
    }

    /// A mapping's keys and values, or `nil` (reported) when `node` is not a mapping.
    public func mapping(_ node: YAMLNode, key: String, known: [String], accepted: Set<String> = []) -> MappingReader? {
        guard case .mapping(let pairs) = node.content else {
            typeMismatch(node, expected: "a mapping", key: key)
            return nil
        }
        return MappingReader(decoder: self, node: node, pairs: pairs, known: known, accepted: accepted)
    }

    /// A scalar as text; numbers and booleans are accepted as their text, null and collections are not.
    public func string(_ node: YAMLNode, key: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            typeMismatch(node, expected: "a string", key: key)
            return nil
        }
        return scalar.string
    }

    /// A scalar that YAML reads as text: quoted, or plain and not null, a boolean or a number.
    ///
    /// For names (tools, models, labels, agents), where `5` or `yes` is a mistake rather than a
    /// name; quoting it (`"5"`) makes it text.
    public func text(_ node: YAMLNode, key: String) -> String? {
        guard let scalar = node.scalar, scalar.isString else {
            typeMismatch(node, expected: "a string", key: key)
            return nil
        }
        return scalar.string
    }

    /// A string with something in it besides white space.
    public func nonEmptyString(_ node: YAMLNode, key: String) -> String? {
        string(node, key: key).flatMap { nonEmpty($0, at: node, key: key) }
    }

    /// Text (see `text(_:key:)`) with something in it besides white space.
    public func nonEmptyText(_ node: YAMLNode, key: String) -> String? {
        text(node, key: key).flatMap { nonEmpty($0, at: node, key: key) }
    }

    private func nonEmpty(_ text: String, at node: YAMLNode, key: String) -> String? {
        guard !text.allSatisfy(\.isWhitespace) else {
            error(.invalidValue, "'\(key)' is empty", at: node)
            return nil
        }
        return text
    }

    func bool(_ node: YAMLNode, key: String) -> Bool? {
        guard let value = node.scalar?.boolValue else {
            typeMismatch(node, expected: "true or false", key: key)
            return nil
        }
        return value
    }

    /// A whole number within `range`.
    public func integer(_ node: YAMLNode, key: String, in range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, scalar.isPlain, let value = Int(scalar.string.replacingUnderscores) else {
            if let scalar = node.scalar, scalar.isNumber {
                // `1.5`, `2e3`, `0x1F`: a number, but not one written as a decimal whole number.
                error(.invalidValue, "'\(key)' is \(scalar.string); it must be a whole number, like 12", at: node)
            } else {
                typeMismatch(node, expected: "a whole number", key: key)
            }
            return nil
        }
        guard range.contains(value) else {
            let bound =
                range.upperBound == Int.max
                ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            error(.invalidValue, "'\(key)' is \(value); it must be \(bound)", at: node)
            return nil
        }
        return value
    }

    /// A non-negative amount of premium requests, read exactly from the scalar's text.
    func amount(_ node: YAMLNode, key: String) -> PremiumRequests? {
        fixedPoint(node, key: key, decimals: 3, expected: "a number of premium requests")
            .map(PremiumRequests.init(thousandths:))
    }

    /// A non-negative amount of AI credits, parsed exactly (up to nine decimals).
    func credits(_ node: YAMLNode, key: String) -> AICredits? {
        fixedPoint(node, key: key, decimals: AICredits.decimals, expected: "a number of AI credits")
            .map(AICredits.init(nanocredits:))
    }

    /// An amount in `unit`: premium requests or AI credits.
    func amount(_ node: YAMLNode, key: String, unit: BillingUnit) -> Amount? {
        switch unit {
        case .premiumRequests: amount(node, key: key)?.amount
        case .aiCredits: credits(node, key: key)?.amount
        }
    }

    /// A price in US dollars per million tokens (`2.50`, `"$0.025"`), parsed exactly.
    func price(_ node: YAMLNode, key: String) -> TokenPrice? {
        fixedPoint(
            node, key: key, decimals: TokenPrice.decimals, expected: "a price in dollars per million tokens",
            currency: true
        ).map(TokenPrice.init(nanocreditsPerToken:))
    }

    /// A non-negative decimal scalar as an integer of `10^-decimals` units, never through a `Double`.
    private func fixedPoint(
        _ node: YAMLNode, key: String, decimals: Int, expected: String, currency: Bool = false
    ) -> Int64? {
        guard let scalar = node.scalar, !scalar.isNull, scalar.boolValue == nil else {
            typeMismatch(node, expected: expected, key: key)
            return nil
        }
        switch FixedPoint.parse(scalar.string.replacingUnderscores, decimals: decimals, currency: currency) {
        case .success(let units) where units < 0:
            error(.invalidValue, "'\(key)' is \(scalar.string); amounts cannot be negative", at: node)
            return nil
        case .success(let units):
            return units
        case .failure(let failure):
            error(.invalidValue, "'\(key)' value '\(scalar.string)' \(failure)", at: node)
            return nil
        }
    }

    /// A duration such as `30m` or `1h30m`.
    func duration(_ node: YAMLNode, key: String) -> Duration? {
        guard let text = string(node, key: key) else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            error(
                .invalidValue, "'\(key)' value '\(text)' is not a positive duration",
                hint: "write it like 90s, 30m or 1h30m", at: node)
            return nil
        }
        return duration
    }

    /// One of a fixed set of words, with a suggestion when it is close to one.
    func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, key: String, as type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, key: key) else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        error(
            .invalidValue, "'\(key)' is '\(text)'; it must be one of \(names.joined(separator: ", "))",
            hint: Suggestion.hint(for: text, among: names), at: node)
        return nil
    }

    /// A list of strings; with `commaSeparated`, a single string `"a, b"` is split as well.
    ///
    /// Each item must be text (see `text(_:key:)`): a number, boolean or null is a type error at
    /// its place, and the list is `nil`.
    public func stringList(_ node: YAMLNode, key: String, commaSeparated: Bool = false) -> [Located<String>]? {
        switch node.content {
        case .sequence(let items):
            var values: [Located<String>] = []
            var ok = true
            for item in items {
                if let text = text(item, key: key) {
                    values.append(Located(text, at: item.location))
                } else {
                    ok = false
                }
            }
            return ok ? values : nil
        case .scalar(let scalar) where commaSeparated && scalar.isString:
            var start = node.location
            if !scalar.isPlain { start.column += 1 }  // past the opening quote
            return Self.splitCommas(scalar.string, at: start)
        default:
            typeMismatch(node, expected: commaSeparated ? "a list or a comma-separated string" : "a list", key: key)
            return nil
        }
    }

    /// Splits `Read, Grep, Bash` into items, each with its own column (for a one-line scalar).
    static func splitCommas(_ text: String, at location: SourceLocation) -> [Located<String>] {
        var items: [Located<String>] = []
        var column = location.column
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let leading = part.prefix { $0 == " " }.count
            let trimmed = part.trimmingSpaces
            if !trimmed.isEmpty {
                var here = location
                here.column = column + leading
                items.append(Located(trimmed, at: here))
            }
            column += part.unicodeScalars.count + 1
        }
        return items
    }
}

extension StringProtocol {
    /// YAML 1.1 lets numbers carry `_` separators (`1_000`).
    var replacingUnderscores: String { String(filter { $0 != "_" }) }

    /// The text without leading and trailing white space (spaces, tabs, newlines).
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
