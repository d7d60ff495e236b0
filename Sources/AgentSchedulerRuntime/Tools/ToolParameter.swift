import AgentSchedulerCore

/// One argument of a tool: its name, JSON type, description and constraints.
struct ToolParameter: Sendable {
    enum Kind: String, Sendable {
        case string, integer, boolean
    }

    var name: String
    var kind: Kind
    var description: String
    var isRequired: Bool
    /// For a string: the only values allowed (a JSON schema `enum`); empty for any.
    var allowedValues: [String] = []
    /// For an integer: the smallest value allowed.
    var minimum: Int?

    static func string(
        _ name: String, _ description: String, required: Bool = false, oneOf allowedValues: [String] = []
    ) -> ToolParameter {
        ToolParameter(
            name: name, kind: .string, description: description, isRequired: required, allowedValues: allowedValues)
    }

    static func integer(
        _ name: String, _ description: String, required: Bool = false, minimum: Int? = nil
    )
        -> ToolParameter
    {
        ToolParameter(name: name, kind: .integer, description: description, isRequired: required, minimum: minimum)
    }

    static func boolean(_ name: String, _ description: String) -> ToolParameter {
        ToolParameter(name: name, kind: .boolean, description: description, isRequired: false)
    }

    /// The parameter's JSON schema.
    var schema: JSONValue {
        var entries: [(key: String, value: JSONValue)] = [
            ("type", .string(kind.rawValue)), ("description", .string(description)),
        ]
        if !allowedValues.isEmpty { entries.append(("enum", .array(allowedValues.map(JSONValue.string)))) }
        if let minimum { entries.append(("minimum", .number(String(minimum)))) }
        return .object(entries)
    }

    /// The problem with `value` for this parameter, if any.
    func problem(with value: JSONValue) -> String? {
        switch (kind, value) {
        case (.string, .string(let text)):
            guard allowedValues.isEmpty || allowedValues.contains(text) else {
                return "argument '\(name)' must be one of \(allowedValues.joined(separator: ", ")); got '\(text)'"
            }
            return nil
        case (.integer, .number(let text)):
            guard let number = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }) else {
                return "argument '\(name)' must be a whole number; got \(text)"
            }
            if let minimum, number < minimum {
                return "argument '\(name)' must be at least \(minimum); got \(number)"
            }
            return nil
        case (.boolean, .bool):
            return nil
        default:
            return "argument '\(name)' must be \(kind == .integer ? "an integer" : "a \(kind.rawValue)"), "
                + "not \(Self.describe(value))"
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "a boolean (\(flag))"
        case .number(let text): "a number (\(text))"
        case .string(let text): "a string (\"\(text.count > 40 ? text.prefix(40) + "…" : text)\")"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
