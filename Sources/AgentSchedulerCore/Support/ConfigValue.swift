/// A YAML value kept as written, for keys agentsched accepts but does not interpret
/// (`metadata`, `handoffs`, `mcp-servers`, Claude Code's `hooks`, …).
public indirect enum ConfigValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case string(String)
    case list([ConfigValue])
    /// Keys in file order.
    case map([Entry])

    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: ConfigValue

        public init(key: String, value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of a node; plain `true`, `42` and `~` become booleans, integers and null.
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            if scalar.isNull {
                self = .null
            } else if let bool = scalar.boolValue {
                self = .bool(bool)
            } else if scalar.isPlain, let integer = Int(scalar.string) {
                self = .integer(integer)
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let items):
            self = .list(items.map(ConfigValue.init))
        case .mapping(let pairs):
            self = .map(pairs.map { Entry(key: $0.key.scalar?.string ?? "", value: ConfigValue($0.value)) })
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .list(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .map(let entries):
            var container = encoder.container(keyedBy: Key.self)
            for entry in entries { try container.encode(entry.value, forKey: Key(stringValue: entry.key)) }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .map(
                try container.allKeys.map {
                    Entry(key: $0.stringValue, value: try container.decode(ConfigValue.self, forKey: $0))
                }
            )
        } else if var container = try? decoder.unkeyedContainer() {
            var values: [ConfigValue] = []
            while !container.isAtEnd { values.append(try container.decode(ConfigValue.self)) }
            self = .list(values)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }
}
