import Yams

/// Turns YAML text into a `YAMLNode` tree with file positions, within `YAMLLimits`.
///
/// libyaml (inside Yams) scans and parses; this type converts the composed nodes, expanding
/// aliases and `<<` merge keys while it counts nodes and depth, so an alias bomb stops at
/// `maxNodes` instead of exhausting memory.
public struct YAMLComposer {
    public var path: String
    /// Added to every line: the line the YAML starts on, minus one (front matter starts on line 2).
    public var lineOffset: Int
    public var limits: YAMLLimits

    private var nodeCount = 0

    public init(path: String, lineOffset: Int = 0, limits: YAMLLimits = .default) {
        self.path = path
        self.lineOffset = lineOffset
        self.limits = limits
    }

    /// The document's root, or `nil` when the text holds no document (empty, or comments only).
    public mutating func compose(_ text: String) throws(Diagnostic) -> YAMLNode? {
        try YAMLPreflight(path: path, lineOffset: lineOffset, limits: limits).check(text)
        let root: Node?
        do {
            root = try Parser(yaml: text, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            throw diagnostic(for: error, in: text)
        } catch {
            throw .error(.yamlSyntax, "cannot parse YAML: \(error)", at: location(line: 1, column: 1))
        }
        guard let root else { return nil }
        nodeCount = 0
        return try convert(root, depth: 0)
    }

    private mutating func convert(_ node: Node, depth: Int) throws(Diagnostic) -> YAMLNode {
        let here = location(node.mark)
        nodeCount += 1
        if nodeCount > limits.maxNodes {
            throw .error(
                .tooLarge, "document expands to more than \(limits.maxNodes) YAML nodes",
                hint: "aliases that refer to aliases multiply; write the values out or nest them less",
                at: here)
        }
        if depth > limits.maxDepth {
            throw .error(.tooLarge, "YAML nests deeper than \(limits.maxDepth) levels", at: here)
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(YAMLScalar(scalar.string, isPlain: scalar.style == .plain)), at: here)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, depth: depth + 1))
            }
            return YAMLNode(.sequence(items), at: here)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            var merged: [YAMLPair] = []
            for (key, value) in mapping {
                if case .scalar(let scalar) = key, scalar.style == .plain, scalar.string == "<<" {
                    merged += try mergeSources(value, depth: depth)
                } else {
                    pairs.append(
                        YAMLPair(key: try convert(key, depth: depth + 1), value: try convert(value, depth: depth + 1)))
                }
            }
            let explicit = Set(pairs.compactMap { $0.key.scalar?.string })
            pairs += merged.filter { pair in !explicit.contains(pair.key.scalar?.string ?? "") }
            return YAMLNode(.mapping(pairs), at: here)
        case .alias:
            throw .error(.yamlSyntax, "unresolved YAML alias", at: here)
        }
    }

    /// The pairs a `<<` merge key brings in: one mapping, or a list of them (earlier ones win).
    private mutating func mergeSources(_ value: Node, depth: Int) throws(Diagnostic) -> [YAMLPair] {
        let sources: [Node]
        switch value {
        case .mapping: sources = [value]
        case .sequence(let sequence): sources = Array(sequence)
        default:
            throw .error(
                .typeMismatch, "a `<<` merge key takes a mapping or a list of mappings", at: location(value.mark))
        }
        var pairs: [YAMLPair] = []
        var seen = Set<String>()
        for source in sources {
            guard case .mapping = source else {
                throw .error(.typeMismatch, "a `<<` merge key takes only mappings", at: location(source.mark))
            }
            guard case .mapping(let converted) = try convert(source, depth: depth + 1).content else { continue }
            for pair in converted where seen.insert(pair.key.scalar?.string ?? "").inserted {
                pairs.append(pair)
            }
        }
        return pairs
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        location(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: path, line: line + lineOffset, column: column)
    }

    private func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line + lineOffset), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
            .composer(let ctx, let problem, let mark, _):
            let message = "invalid YAML: \(problem)\(context(ctx))"
            var hint: String?
            if problem.contains("found character that cannot start any token") {
                hint = "quote values that begin with `@`, `` ` `` or other reserved characters"
            } else if problem.contains("mapping values are not allowed") {
                hint = "quote a value that contains `: `, or indent it as a nested mapping"
            }
            return .error(.yamlSyntax, message, hint: hint, at: location(mark))
        case .reader(let problem, let offset, _, let yaml):
            let prefix = offset.map { yaml.utf8.prefix($0) } ?? yaml.utf8.prefix(0)
            let consumed = String(decoding: prefix, as: UTF8.self)
            let line = consumed.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column =
                (consumed.split(separator: "\n", omittingEmptySubsequences: false).last?.unicodeScalars.count ?? 0) + 1
            return .error(.encoding, "invalid text: \(problem)", at: location(line: line, column: column))
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                .duplicate, "duplicate key \(keys) in one mapping", hint: "keep one of them", at: location(ctx.mark))
        case .memory:
            return .error(.tooLarge, "libyaml ran out of memory", at: location(line: 1, column: 1))
        default:
            return .error(.yamlSyntax, "invalid YAML: \(error)", at: location(line: 1, column: 1))
        }
    }
}
