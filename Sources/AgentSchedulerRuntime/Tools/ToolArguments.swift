import AgentSchedulerCore
import Foundation

/// A tool's arguments after validation: every value present has the type its schema says.
struct ToolArguments: Sendable {
    var values: [String: JSONValue]

    func string(_ name: String) -> String? { values[name]?.stringValue }

    func integer(_ name: String) -> Int? {
        guard case .number(let text) = values[name] else { return nil }
        return Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
    }

    func boolean(_ name: String) -> Bool? { values[name]?.boolValue }

    /// Parses the JSON text of a tool call's arguments; empty text is an empty object.
    static func parse(_ text: String) -> Result<JSONValue, ToolFailure> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .success(.object([])) }
        do {
            return .success(try JSONValue(parsing: Data(trimmed.utf8)))
        } catch {
            let shown = trimmed.count > 200 ? trimmed.prefix(200) + "…" : trimmed
            return .failure(
                ToolFailure(
                    "the arguments are not valid JSON (\(shown)); send one JSON object, "
                        + "such as {\"path\": \"README.md\"}"))
        }
    }
}
