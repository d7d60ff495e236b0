extension JSONValue {
    /// A YAML node as JSON: plain numbers, booleans and nulls keep their type; every other scalar
    /// is text; mappings keep their key order.
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            if scalar.isNull {
                self = .null
            } else if let bool = scalar.boolValue {
                self = .bool(bool)
            } else if scalar.isPlain, Int(scalar.string) != nil || Double(scalar.string) != nil {
                self = .number(scalar.string)
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let items):
            self = .array(items.map(JSONValue.init))
        case .mapping(let pairs):
            self = .object(pairs.map { (key: $0.key.scalar?.string ?? "", value: JSONValue($0.value)) })
        }
    }
}
