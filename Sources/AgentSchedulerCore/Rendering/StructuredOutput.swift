import Foundation
import Yams

/// JSON and YAML renderings of any `Encodable` value, with amounts written as exact numbers.
public enum StructuredOutput {
    /// Pretty-printed JSON with sorted keys, so output is stable across runs.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Block-style YAML of the same document `json` writes.
    ///
    /// The JSON text is composed as YAML (JSON is YAML), so numbers keep their exact text; strings
    /// are written plain where that reads back as the same string, as literal blocks when they
    /// span lines, and quoted otherwise.
    public static func yaml(_ value: some Encodable) throws -> String {
        guard let node = try Yams.compose(yaml: try json(value)) else { return "" }
        return try Yams.serialize(node: blockStyled(node), width: 100, allowUnicode: true)
    }

    private static func blockStyled(_ node: Node) -> Node {
        switch node {
        case .scalar(var scalar):
            if scalar.style == .doubleQuoted {
                if scalar.string.contains("\n") {
                    scalar.style = .literal
                } else if Resolver.default.resolveTag(of: Node(scalar.string)) == .str,
                    !scalar.string.isEmpty, scalar.string.trimmingCharacters(in: .whitespaces) == scalar.string
                {
                    scalar.style = .plain
                }
            }
            return .scalar(scalar)
        case .sequence(var sequence):
            sequence = Node.Sequence(sequence.map(blockStyled), sequence.tag, sequence.isEmpty ? .flow : .block)
            return .sequence(sequence)
        case .mapping(var mapping):
            mapping = Node.Mapping(
                mapping.map { (blockStyled($0.key), blockStyled($0.value)) }, mapping.tag,
                mapping.isEmpty ? .flow : .block)
            return .mapping(mapping)
        case .alias:
            return node
        }
    }
}
