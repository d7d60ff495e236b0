import AgentSchedulerCore
import Foundation
import MCP

/// Which of a server's listed tools a session offers, and why each other one is left out.
///
/// A tool is offered when the profile's `tools:` allows `server/tool` (after `disallowed-tools`),
/// the server's own `tools:` list has it, a read-only session may call it, its model name
/// `server__tool` is one every provider accepts, and its input schema is one they accept.
public struct MCPToolSelection: Sendable, Hashable {
    /// A tool left out, and why.
    public struct Filtered: Sendable, Hashable {
        public var server: String
        public var tool: String
        public var reason: String
    }

    public var offered: [MCPTool]
    public var filtered: [Filtered]

    /// The longest tool name providers accept (OpenAI's and Anthropic's limit).
    public static let maxNameLength = 64
    /// The largest input schema passed on, in bytes of JSON.
    public static let maxSchemaBytes = 32 * 1024

    /// The selection of `listed`, the tools `declaration`'s server listed.
    public init(
        listed: [MCP.Tool], declaration: MCPServerDeclaration, allowed: ToolSet, permission: AgentPermission
    ) {
        offered = []
        filtered = []
        var seen: Set<String> = []
        for tool in listed.sorted(by: { $0.name < $1.name }) {
            let reference = MCPToolReference(server: declaration.name, tool: tool.name)
            func leave(_ reason: String) {
                filtered.append(Filtered(server: declaration.name, tool: tool.name, reason: reason))
            }
            guard allowed.allows(reference) else {
                leave("not in the agent's tools (or removed by disallowed-tools)")
                continue
            }
            guard declaration.offers(tool.name) else {
                leave("not in the server's tools list in the profile")
                continue
            }
            let readOnly = tool.annotations.readOnlyHint == true || declaration.readOnlyTools.contains(tool.name)
            guard readOnly || permission >= .write else {
                leave(
                    "this session is read-only, and the tool is not annotated readOnlyHint nor listed in read-only-tools"
                )
                continue
            }
            let modelName = "\(declaration.name)__\(tool.name)"
            guard Self.isValidName(modelName) else {
                leave("its name as the model sees it, \(modelName), is not 1–64 letters, digits, _ or -")
                continue
            }
            guard seen.insert(modelName).inserted else {
                leave("the server lists two tools named \(tool.name)")
                continue
            }
            let schema: JSONValue
            switch Self.schema(tool.inputSchema) {
            case .success(let accepted): schema = accepted
            case .failure(let problem):
                leave("its input schema \(problem.reason)")
                continue
            }
            offered.append(
                MCPTool(
                    server: declaration.name, name: tool.name, modelName: modelName,
                    description: tool.description ?? tool.title ?? tool.name, inputSchema: schema, readOnly: readOnly))
        }
    }

    /// Whether providers accept `name` as a tool name.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxNameLength
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
            }
    }

    struct SchemaProblem: Error {
        var reason: String
    }

    /// The schema as the model gets it, or why providers would refuse it: it must be a JSON object
    /// whose `type` is `object` (added when missing), at most `maxSchemaBytes` long.
    static func schema(_ value: Value) -> Result<JSONValue, SchemaProblem> {
        guard let data = try? JSONEncoder().encode(value), let schema = try? JSONValue(parsing: data) else {
            return .failure(SchemaProblem(reason: "cannot be read as JSON"))
        }
        guard case .object(var fields) = schema else {
            return .failure(SchemaProblem(reason: "is not a JSON object"))
        }
        switch schema["type"] {
        case nil: fields.insert((key: "type", value: .string("object")), at: 0)
        case .string("object")?: break
        default: return .failure(SchemaProblem(reason: "has a type other than object at its root"))
        }
        guard data.count <= maxSchemaBytes else {
            return .failure(SchemaProblem(reason: "is \(data.count) bytes, over the \(maxSchemaBytes) accepted"))
        }
        return .success(.object(fields))
    }
}
