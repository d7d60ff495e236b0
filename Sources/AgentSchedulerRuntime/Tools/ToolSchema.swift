import AgentSchedulerCore

/// A tool's arguments as a JSON schema, and the check that arguments match it.
///
/// The schema is an object with `properties`, `required` and `additionalProperties: false`.
/// Validation reports every problem at once, each naming its argument: a missing required
/// argument, an unknown one, a wrong type, a value outside `enum` or below `minimum`. A `null`
/// value counts as absent (models send `"end_line": null` for "no value").
struct ToolSchema: Sendable {
    var parameters: [ToolParameter]

    init(_ parameters: [ToolParameter]) {
        self.parameters = parameters
    }

    /// The JSON schema advertised in the tool's definition.
    var json: JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(parameters.map { ($0.name, $0.schema) })),
            ("required", .array(parameters.filter(\.isRequired).map { .string($0.name) })),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// The arguments, checked; or a failure listing every problem.
    func validate(_ arguments: JSONValue, tool: String) throws(ToolFailure) -> ToolArguments {
        guard case .object(let entries) = arguments else {
            throw ToolFailure(
                "\(tool) takes a JSON object of arguments, not \(ToolParameter.describe(arguments)); "
                    + "its arguments are \(names)")
        }
        var problems: [String] = []
        var values: [String: JSONValue] = [:]
        for (key, value) in entries {
            guard let parameter = parameters.first(where: { $0.name == key }) else {
                problems.append("unknown argument '\(key)'; \(tool) takes \(names)")
                continue
            }
            if value == .null { continue }
            if let problem = parameter.problem(with: value) {
                problems.append(problem)
            } else {
                values[key] = value
            }
        }
        for parameter in parameters where parameter.isRequired && values[parameter.name] == nil {
            if !problems.contains(where: { $0.hasPrefix("argument '\(parameter.name)'") }) {
                problems.append("missing required argument '\(parameter.name)' (\(parameter.description))")
            }
        }
        guard problems.isEmpty else { throw ToolFailure(problems.joined(separator: "; ")) }
        return ToolArguments(values: values)
    }

    private var names: String {
        parameters.isEmpty
            ? "no arguments"
            : parameters.map { $0.isRequired ? $0.name : "\($0.name) (optional)" }.joined(separator: ", ")
    }
}
