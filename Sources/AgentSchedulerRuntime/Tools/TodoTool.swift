import AgentSchedulerCore
import Foundation

/// `todo`: the session's own checklist — add an item, complete one by its number, or list them.
///
/// Every call answers with the whole list, so the model always sees where it stands.
public struct TodoTool: AgentTool {
    public init() {}

    public var kind: BuiltinTool { .todo }

    static let schema = ToolSchema([
        .string(
            "action", "add an item, complete one, or list them all", required: true, oneOf: ["add", "complete", "list"]),
        .string("text", "for add: the item, one short line"),
        .integer("id", "for complete: the item's number, as list shows it", minimum: 1),
    ])

    public var definition: ToolDefinition {
        ToolDefinition(
            name: kind.rawValue,
            description: """
                Keep your own checklist for this task: add items as you plan, complete them as you go, \
                list them to see what is left. Every call returns the whole list.
                """,
            parameters: Self.schema.json)
    }

    public func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult {
        do throws(ToolFailure) {
            let arguments = try Self.schema.validate(arguments, tool: kind.rawValue)
            let action = arguments.string("action") ?? "list"
            let text = arguments.string("text")?.trimmingCharacters(in: .whitespacesAndNewlines)
            let id = arguments.integer("id")
            switch action {
            case "add":
                guard let text, !text.isEmpty else { throw ToolFailure("add needs 'text': the item to add") }
                guard id == nil else { throw ToolFailure("add takes 'text' only; 'id' is for complete") }
                let item = await context.todos.add(text)
                return .success("Added \(item.id).\n" + (await context.todos.rendered))
            case "complete":
                guard let id else { throw ToolFailure("complete needs 'id': the item's number, as list shows it") }
                guard text == nil else { throw ToolFailure("complete takes 'id' only; 'text' is for add") }
                guard await context.todos.complete(id) != nil else {
                    throw ToolFailure("there is no item \(id); the checklist is:\n" + (await context.todos.rendered))
                }
                return .success("Completed \(id).\n" + (await context.todos.rendered))
            default:
                guard text == nil, id == nil else { throw ToolFailure("list takes no 'text' or 'id'") }
                return .success(await context.todos.rendered)
            }
        } catch {
            return error.result
        }
    }
}
