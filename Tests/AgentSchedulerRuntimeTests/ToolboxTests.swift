import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ToolboxTests {
    @Test(arguments: [
        (ToolSet.all, AgentPermission.write, ["read", "search", "edit", "execute", "todo"]),
        (ToolSet.all, AgentPermission.readOnly, ["read", "search", "todo"]),
        (ToolSet(builtins: [.read, .edit]), AgentPermission.write, ["read", "edit"]),
        (ToolSet(builtins: [.read, .edit, .execute]), AgentPermission.readOnly, ["read"]),
        (ToolSet(builtins: [.agent, .web]), AgentPermission.write, []),
        (ToolSet.none, AgentPermission.write, []),
    ])
    func listsTheEffectiveTools(tools: ToolSet, permission: AgentPermission, expected: [String]) {
        let toolbox = Toolbox(tools: tools, permission: permission)
        #expect(toolbox.definitions.map(\.name) == expected)
        #expect(toolbox.tools.map(\.rawValue) == expected)
    }

    @Test(arguments: [
        (ToolSet.all, AgentPermission.readOnly, "edit", ToolRefusal.readOnlyPermission(.edit)),
        (ToolSet.all, AgentPermission.readOnly, "execute", ToolRefusal.readOnlyPermission(.execute)),
        (ToolSet(builtins: [.read]), AgentPermission.write, "edit", ToolRefusal.notInAgentTools(.edit)),
        (ToolSet(builtins: [.read]), AgentPermission.readOnly, "execute", ToolRefusal.notInAgentTools(.execute)),
        (ToolSet.all, AgentPermission.write, "web", ToolRefusal.unavailable(.web)),
        (ToolSet.all, AgentPermission.write, "agent", ToolRefusal.unavailable(.agent)),
        (
            ToolSet(builtins: [.read, .search]), AgentPermission.write, "bash",
            ToolRefusal.unknownTool("bash", available: ["read", "search"])
        ),
    ])
    func refusesToolsOutsideTheEffectiveSet(
        tools: ToolSet, permission: AgentPermission, name: String, refusal: ToolRefusal
    ) async throws {
        let sandbox = try ToolSandbox()
        let toolbox = Toolbox(tools: tools, permission: permission)
        let result = await toolbox.call(
            ToolCall(id: "1", name: name, arguments: #"{"path": "x", "content": "pwned", "command": "touch pwned"}"#),
            in: sandbox.context())
        #expect(result.refusal == refusal)
        #expect(result.refused && result.isError)
        #expect(result.output == refusal.message)
        #expect(await toolbox.refusal(for: name) == refusal)
        #expect(!sandbox.exists("x") && !sandbox.exists("pwned"))
    }

    @Test func refusalsSayWhy() {
        #expect(ToolRefusal.notInAgentTools(.edit).message == "the tool 'edit' is not in this agent's tools")
        #expect(ToolRefusal.readOnlyPermission(.execute).message.contains("read-only permission"))
        #expect(ToolRefusal.unknownTool("bash", available: []).message.hasSuffix("this agent's tools are: none"))
    }

    @Test(arguments: [
        ("{\"path\": ", "the arguments are not valid JSON"),
        ("not json", "the arguments are not valid JSON"),
        ("[1, 2]", "read takes a JSON object of arguments, not an array"),
        ("\"README.md\"", "read takes a JSON object of arguments, not a string"),
    ])
    func reportsMalformedArguments(arguments: String, message: String) async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call("read", arguments)
        #expect(result.isError && !result.refused)
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func emptyArgumentsAreAnEmptyObject() async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call("read", "")
        #expect(
            result.output
                == "missing required argument 'path' (file or folder, relative to the worktree root (\".\" is the root))"
        )
    }

    @Test func reportsEveryProblemAtOnce() async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call("read", #"{"start_line": "1", "extra": 2}"#)
        #expect(result.output.contains("argument 'start_line' must be an integer, not a string (\"1\")"))
        #expect(
            result.output.contains(
                "unknown argument 'extra'; read takes path, start_line (optional), end_line (optional)"))
        #expect(result.output.contains("missing required argument 'path'"))
    }

    /// Every schema is an object schema: properties, required ⊆ properties, no extra properties.
    @Test(arguments: Toolbox.builtinTools.map(\.definition))
    func advertisesStrictSchemas(_ definition: ToolDefinition) throws {
        let schema = definition.parameters
        #expect(schema["type"] == .string("object"))
        #expect(schema["additionalProperties"] == .bool(false))
        guard case .object(let properties) = schema["properties"], case .array(let required) = schema["required"] else {
            Issue.record("\(definition.name): properties or required missing")
            return
        }
        let names = Set(properties.map(\.key))
        #expect(!names.isEmpty)
        for name in required { #expect(name.stringValue.map(names.contains) == true) }
        for (_, property) in properties {
            #expect(["string", "integer", "boolean"].contains(property["type"]?.stringValue ?? ""))
            #expect(property["description"]?.stringValue?.isEmpty == false)
        }
        #expect(!definition.description.isEmpty)
        // The schema survives encoding: it is what goes to the provider.
        let data = try JSONEncoder().encode(schema)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data)["additionalProperties"] == .bool(false))
    }
}
