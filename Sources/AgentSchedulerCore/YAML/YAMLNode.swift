/// A composed YAML node that remembers where it stands in its file.
///
/// agentsched decodes every file from these nodes rather than through `Codable`, so that
/// every problem — not only the first — is reported at the offending value.
public struct YAMLNode: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public var isNull: Bool { scalar?.isNull ?? false }

    /// What the node is, for messages: "a string", "a list", "a mapping", "null".
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar):
            if scalar.isNull { return "null" }
            if scalar.boolValue != nil { return "a boolean" }
            if scalar.isNumber { return "a number" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A scalar's text, and whether it was written plain (unquoted), which decides if it can be null or a boolean.
public struct YAMLScalar: Sendable, Equatable {
    public var string: String
    public var isPlain: Bool

    public init(_ string: String, isPlain: Bool = true) {
        self.string = string
        self.isPlain = isPlain
    }

    public var isNull: Bool {
        isPlain && ["", "~", "null", "Null", "NULL"].contains(string)
    }

    /// Whether YAML reads the scalar as a number: written plain, and an integer (`5`, `-3`, `0x1F`,
    /// `0o17`, `1_000`) or a float (`1.5`, `2e3`, `.inf`, `.nan`) of the YAML 1.2 core schema.
    public var isNumber: Bool {
        guard isPlain else { return false }
        return string.replacingUnderscores.wholeMatch(of: Self.numberPattern) != nil
    }

    /// Whether the scalar is text: quoted, or plain and neither null, a boolean nor a number.
    public var isString: Bool { !isNull && boolValue == nil && !isNumber }

    /// YAML 1.2 core schema integers and floats, as `isNumber` reads them.
    nonisolated(unsafe) private static let numberPattern =
        #/[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)/#

    /// `true`/`false` (and YAML 1.1's `yes`/`no`/`on`/`off`) when written plain.
    public var boolValue: Bool? {
        guard isPlain else { return nil }
        switch string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

/// One key and its value in a mapping.
public struct YAMLPair: Sendable, Equatable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
