// Yams keeps libyaml in its `CYaml` module. Yams composes an alias by copying the anchored node and
// hashes every mapping key to find duplicates, so a key that is an alias of an alias-built tree
// costs exponential time inside Yams before any of our code runs. Walking libyaml's event stream
// first bounds that in linear time. Yams is pinned to one exact version in Package.swift.
import CYaml

/// Walks a document's libyaml events before Yams composes it, and refuses one that nests deeper
/// than `limits.maxDepth` or would expand to more than `limits.maxNodes` nodes through aliases.
///
/// Syntax errors are left for the composer, which reports them with libyaml's own message.
struct YAMLPreflight {
    var path: String
    var lineOffset: Int
    var limits: YAMLLimits

    func check(_ text: String) throws(Diagnostic) {
        var bytes = Array(text.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(Diagnostic) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            try walk(&parser)
        }
    }

    private func walk(_ parser: inout yaml_parser_t) throws(Diagnostic) {
        /// Expanded sizes of the collections still open, innermost last.
        var open: [(size: Int, anchor: String?)] = []
        var anchors: [String: Int] = [:]
        var total = 0

        func add(_ size: Int, anchor: String?) {
            if let anchor { anchors[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size += size }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                // libyaml's scanner looks ahead through flow collections and stops at its own nesting
                // limit (1,000) before the parser hands us the level that crosses ours.
                let problem = parser.problem.map { String(cString: $0) } ?? ""
                guard problem.contains("Maximum nesting level") else { return }
                throw .error(
                    .tooLarge, "YAML nests deeper than \(limits.maxDepth) levels",
                    at: SourceLocation(
                        path: path, line: Int(parser.problem_mark.line) + 1 + lineOffset,
                        column: Int(parser.problem_mark.column) + 1))
            }
            defer { yaml_event_delete(&event) }
            let mark = SourceLocation(
                path: path, line: Int(event.start_mark.line) + 1 + lineOffset, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_SCALAR_EVENT:
                total += 1
                add(1, anchor: Self.string(event.data.scalar.anchor))
            case YAML_ALIAS_EVENT:
                let size = Self.string(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                total += size
                add(size, anchor: nil)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                total += 1
                let anchor =
                    event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.string(event.data.sequence_start.anchor) : Self.string(event.data.mapping_start.anchor)
                open.append((1, anchor))
                if open.count > limits.maxDepth {
                    throw .error(.tooLarge, "YAML nests deeper than \(limits.maxDepth) levels", at: mark)
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let closed = open.popLast() { add(closed.size, anchor: closed.anchor) }
            default:
                continue
            }
            if total > limits.maxNodes {
                throw .error(
                    .tooLarge, "document expands to more than \(limits.maxNodes) YAML nodes",
                    hint: "aliases that refer to aliases multiply; write the values out or nest them less", at: mark)
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
