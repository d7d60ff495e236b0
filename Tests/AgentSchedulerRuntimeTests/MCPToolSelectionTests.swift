import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import MCP
import Testing

@testable import AgentSchedulerRuntime

@Suite("Which MCP tools a session is offered, and what their results look like to the model")
struct MCPToolSelectionTests {
    static let object: Value = .object(["type": .string("object"), "properties": .object([:])])

    static func tool(_ name: String, readOnly: Bool? = nil, schema: Value = object) -> MCP.Tool {
        MCP.Tool(
            name: name, description: "Tool \(name).", inputSchema: schema, annotations: .init(readOnlyHint: readOnly))
    }

    static let listed = [
        tool("lookup", readOnly: true), tool("update", readOnly: false), tool("plain"),
        tool("listed_read_only"), tool(String(repeating: "x", count: 70), readOnly: true),
        tool("array_schema", readOnly: true, schema: .object(["type": .string("array")])),
        tool("no_type", readOnly: true, schema: .object(["properties": .object([:])])),
        tool("dotted.name", readOnly: true),
    ]

    static func declaration(tools: [String]? = nil) -> MCPServerDeclaration {
        MCPServerDeclaration(
            name: "db", transport: .stdio(command: "db-mcp", arguments: [], environment: [:]), tools: tools,
            readOnlyTools: ["listed_read_only"])
    }

    @Test(
        "each rule leaves out what it should, and says why",
        arguments: [
            (
                ToolSet.all, AgentPermission.write, nil as [String]?,
                ["db__listed_read_only", "db__lookup", "db__no_type", "db__plain", "db__update"]
            ),
            (ToolSet.all, .readOnly, nil, ["db__listed_read_only", "db__lookup", "db__no_type"]),
            (ToolSet(mcp: [MCPToolReference(server: "db", tool: "lookup")]), .write, nil, ["db__lookup"]),
            (ToolSet.all, .write, ["plain", "update"], ["db__plain", "db__update"]),
            (
                ToolSet.all.subtracting(ToolSet(mcp: [MCPToolReference(server: "db", tool: "update")])), .write, nil,
                ["db__listed_read_only", "db__lookup", "db__no_type", "db__plain"]
            ),
        ])
    func selection(allowed: ToolSet, permission: AgentPermission, serverTools: [String]?, offered: [String]) {
        let selection = MCPToolSelection(
            listed: Self.listed, declaration: Self.declaration(tools: serverTools), allowed: allowed,
            permission: permission)
        #expect(selection.offered.map(\.modelName) == offered)
        #expect(selection.offered.count + selection.filtered.count == Self.listed.count)
    }

    @Test("a name or schema providers would refuse leaves the tool out, saying which")
    func refusedNamesAndSchemas() {
        let selection = MCPToolSelection(
            listed: Self.listed, declaration: Self.declaration(), allowed: .all, permission: .write)
        let reasons = Dictionary(uniqueKeysWithValues: selection.filtered.map { ($0.tool, $0.reason) })
        #expect(reasons["array_schema"]?.contains("type other than object") == true)
        #expect(reasons[String(repeating: "x", count: 70)]?.contains("not 1–64 letters") == true)
        #expect(reasons["dotted.name"]?.contains("not 1–64 letters") == true)
    }

    @Test("a schema without a type gets type object; the model sees the server's description")
    func schemaAndDescription() throws {
        let selection = MCPToolSelection(
            listed: Self.listed, declaration: Self.declaration(), allowed: .all, permission: .write)
        let noType = try #require(selection.offered.first { $0.name == "no_type" })
        #expect(noType.inputSchema["type"] == .string("object"))
        #expect(noType.definition.description == "Tool no_type.")
    }

    @Test(
        "non-text content is summarised with its type and size",
        arguments: [
            (
                MCP.Tool.Content.image(data: "iVBORw0KGgo=", mimeType: "image/png", annotations: nil, _meta: nil),
                "[image: image/png, 8 bytes; not shown]"
            ),
            (
                .audio(data: "AAAA", mimeType: "audio/wav", annotations: nil, _meta: nil),
                "[audio: audio/wav, 3 bytes; not shown]"
            ),
            (
                .resourceLink(uri: "file:///a.txt", name: "a.txt", mimeType: "text/plain"),
                "[resource link: a.txt <file:///a.txt>, text/plain]"
            ),
        ])
    func content(content: MCP.Tool.Content, text: String) {
        #expect(MCPContent.describe(content) == text)
    }
}

@Suite("A session's MCP toolset against the Python SDK's server", .serialized, .enabled(if: MCPPeer.enabled))
struct MCPToolsetTests {
    /// A toolset with the fixture server over stdio, every tool allowed.
    static func fixture() throws -> MCPToolset {
        let python = try MCPPeer.requirePython()
        let server = MCPServerDeclaration(
            name: "fixture",
            transport: .stdio(command: python, arguments: [MCPPeer.fixtureScript, "stdio"], environment: [:]))
        return MCPToolset(
            MCPToolset.Configuration(
                servers: [server], allowed: .all, permission: .write, environment: [:], executable: ""))
    }

    @Test("a long answer is cut to the output cap with a note; an image is summarised, not passed on")
    func outputCapAndImages() async throws {
        let toolset = try Self.fixture()
        let reports = await toolset.start(in: NSTemporaryDirectory())
        #expect(reports.map(\.state) == [.running])
        let big = try #require(await toolset.tool(named: "fixture__big"))
        let cut = await toolset.call(big, arguments: .object([("kilobytes", .number("64"))]), outputLimit: 4096)
        #expect(cut.truncated && cut.output.utf8.count < 8192)
        #expect(cut.mcpCall?.outcome == .ok)
        let picture = try #require(await toolset.tool(named: "fixture__picture"))
        let image = await toolset.call(picture, arguments: .object([]), outputLimit: 4096)
        #expect(image.output.hasPrefix("[image: image/png, "), "\(image.output)")
        await toolset.close()
    }
}

extension MCPToolsetTests {
    @Test("a server that says its tool list changed is listed again before the next request")
    func listChanged() async throws {
        let toolset = try Self.fixture()
        await toolset.start(in: NSTemporaryDirectory())
        #expect(!(await toolset.currentDefinitions()).contains { $0.name == "fixture__grown" })
        let grow = try #require(await toolset.tool(named: "fixture__grow"))
        #expect(await toolset.call(grow, arguments: .object([]), outputLimit: 4096).output == "added grown")
        #expect(await toolset.currentDefinitions().contains { $0.name == "fixture__grown" })
        await toolset.close()
    }
}
