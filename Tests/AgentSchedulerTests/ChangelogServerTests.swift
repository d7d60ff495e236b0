import Foundation
import MCP
import Testing

@testable import AgentScheduler

/// The changelog server on the Swift SDK's server side, spoken to by the SDK's own client over its
/// in-memory transport pair, in a temporary folder.
@Suite("The changelog MCP server (Swift SDK server side)")
struct ChangelogServerTests {
    /// A server on a new temporary folder and a client connected to it.
    struct Connection {
        let folder: URL
        let server: Server
        let client: Client

        var changelog: URL { folder.appendingPathComponent("CHANGELOG.md") }

        static func open() async throws -> Connection {
            let folder = DemoSupport.temporaryFolder()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
            let server = try await ChangelogServer(folder: folder).start(on: serverTransport)
            let client = Client(name: "changelog-tests", version: "1.0.0")
            try await client.connect(transport: clientTransport)
            return Connection(folder: folder, server: server, client: client)
        }

        /// Runs `body` on a new connection, closed (and its folder removed) however `body` ends.
        static func with(_ body: (Connection) async throws -> Void) async throws {
            let connection = try await open()
            do {
                try await body(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }

        func close() async {
            await client.disconnect()
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Calls `tool`; its text and whether it is an error result.
        func call(_ tool: String, _ arguments: [String: Value]) async throws -> (text: String, isError: Bool) {
            let (content, isError): ([Tool.Content], Bool?) = try await client.callTool(
                name: tool, arguments: arguments)
            let text = content.map { item in
                if case .text(let text, _, _) = item { text } else { "(not text)" }
            }.joined(separator: "\n")
            return (text, isError ?? false)
        }

        func file() throws -> String {
            try String(contentsOf: changelog, encoding: .utf8)
        }
    }

    @Test("the server introduces itself with its tools capability")
    func initialize() async throws {
        let folder = DemoSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        let server = try await ChangelogServer(folder: folder).start(on: serverTransport)
        let client = Client(name: "changelog-tests", version: "1.0.0")
        let result = try await client.connect(transport: clientTransport)
        #expect(result.serverInfo.name == "agentsched-changelog")
        #expect(result.capabilities.tools != nil)
        await client.disconnect()
        await server.stop()
    }

    @Test("both tools are listed with annotations and closed JSON Schema objects")
    func listTools() async throws {
        let connection = try await Connection.open()
        let (tools, cursor) = try await connection.client.listTools()
        await connection.close()
        #expect(cursor == nil)
        #expect(tools.map(\.name) == ["read_changelog", "add_entry"])
        let read = try #require(tools.first { $0.name == "read_changelog" })
        #expect(read.annotations.readOnlyHint == true)
        #expect(read.annotations.openWorldHint == false)
        let schema = try #require(read.inputSchema.objectValue)
        #expect(schema["type"] == "object")
        #expect(schema["additionalProperties"] == false)
        #expect(schema["required"] == [])
        #expect(schema["properties"]?.objectValue?["section"]?.objectValue?["enum"] == ["unreleased", "all"])

        let add = try #require(tools.first { $0.name == "add_entry" })
        #expect(add.annotations.readOnlyHint == false)
        #expect(add.annotations.destructiveHint == false)
        #expect(add.annotations.idempotentHint == false)
        let addSchema = try #require(add.inputSchema.objectValue)
        #expect(addSchema["type"] == "object")
        #expect(addSchema["additionalProperties"] == false)
        #expect(addSchema["required"] == ["kind", "text"])
        let properties = try #require(addSchema["properties"]?.objectValue)
        #expect(
            properties["kind"]?.objectValue?["enum"] == [
                "Added", "Changed", "Deprecated", "Removed", "Fixed", "Security",
            ])
        #expect(properties["text"]?.objectValue?["type"] == "string")
        #expect(properties["text"]?.objectValue?["maxLength"] == 500)
        #expect(Set(properties.keys) == ["kind", "text"])
    }

    @Test("add_entry creates the changelog and read_changelog reads it back, by section")
    func addAndRead() async throws {
        try await Connection.with { connection in

            let empty = try await connection.call("read_changelog", [:])
            #expect(!empty.isError)
            #expect(empty.text.contains("There is no CHANGELOG.md"))

            let first = try await connection.call(
                "add_entry", ["kind": "Fixed", "text": "Crash on an empty issue body."])
            #expect(!first.isError, "\(first.text)")
            #expect(first.text.contains("created the file"))
            let second = try await connection.call("add_entry", ["kind": "added", "text": "A changelog server."])
            #expect(!second.isError, "\(second.text)")
            #expect(second.text.contains("### Added"))

            #expect(
                try connection.file() == ChangelogFile.template + """

                    ## [Unreleased]

                    ### Added

                    - A changelog server.

                    ### Fixed

                    - Crash on an empty issue body.

                    """)
            let unreleased = try await connection.call("read_changelog", [:])
            #expect(!unreleased.isError)
            #expect(unreleased.text.hasPrefix("## [Unreleased]"))
            #expect(!unreleased.text.contains("# Changelog\n"))
            let all = try await connection.call("read_changelog", ["section": "all"])
            #expect(all.text == (try connection.file()))

            // No leftovers from the atomic replacement.
            #expect(try FileManager.default.contentsOfDirectory(atPath: connection.folder.path) == ["CHANGELOG.md"])
        }
    }

    @Test("read_changelog says when the file has no Unreleased section")
    func readWithoutUnreleased() async throws {
        try await Connection.with { connection in
            try "# Changelog\n\n## [1.0.0]\n\n- Old.\n".write(
                to: connection.changelog, atomically: true, encoding: .utf8)
            let result = try await connection.call("read_changelog", ["section": "unreleased"])
            #expect(!result.isError)
            #expect(result.text.contains("no ## [Unreleased] section"))
        }
    }

    @Test("entries added at once all land")
    func concurrentEntries() async throws {
        try await Connection.with { connection in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await connection.call("add_entry", ["kind": "Added", "text": "Entry \(index)."]).isError
                    }
                }
                for try await isError in group { #expect(!isError) }
            }
            let file = try connection.file()
            for index in 0..<8 { #expect(file.contains("- Entry \(index).\n")) }
        }
    }

    static let misfits: [(tool: String, arguments: [String: Value], message: String)] = [
        ("add_entry", ["kind": "Fix", "text": "x"], "unknown kind \"Fix\""),
        ("add_entry", ["kind": "Fixed", "text": ""], "empty"),
        ("add_entry", ["kind": "Fixed", "text": "one\ntwo"], "one line"),
        ("add_entry", ["kind": "Fixed", "text": .string(String(repeating: "x", count: 501))], "501 characters"),
        ("add_entry", ["kind": "Fixed"], "text is required"),
        ("add_entry", ["text": "x"], "kind is required"),
        ("add_entry", ["kind": 3, "text": "x"], "kind must be a string"),
        ("add_entry", ["kind": "Fixed", "text": "x", "version": "1.0"], "unknown argument version"),
        ("read_changelog", ["section": "latest"], "section must be"),
        ("read_changelog", ["path": "/etc/passwd"], "unknown argument path"),
    ]

    @Test(
        "arguments that do not fit are error results the model can read, and the file is not touched",
        arguments: misfits)
    func errorResults(tool: String, arguments: [String: Value], message: String) async throws {
        try await Connection.with { connection in
            let before = "# Changelog\n\n## [Unreleased]\n"
            try before.write(to: connection.changelog, atomically: true, encoding: .utf8)
            let result = try await connection.call(tool, arguments)
            #expect(result.isError)
            #expect(result.text.contains(message), "\(result.text)")
            #expect(try connection.file() == before)
        }
    }

    @Test("an unknown tool is a JSON-RPC error, not a result")
    func unknownTool() async throws {
        try await Connection.with { connection in
            let error = await #expect(throws: MCPError.self) {
                _ = try await connection.call("delete_changelog", [:])
            }
            #expect(error?.code == -32602)
            #expect("\(String(describing: error))".contains("delete_changelog"))
        }
    }

    @Test("a CHANGELOG.md that is a symbolic link is neither read nor written, nor is what it points to")
    func symbolicLink() async throws {
        try await Connection.with { connection in
            let outside = DemoSupport.temporaryFolder()
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outside) }
            let target = outside.appendingPathComponent("CHANGELOG.md")
            let original = "# Someone else's changelog\n\n## [Unreleased]\n"
            try original.write(to: target, atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(at: connection.changelog, withDestinationURL: target)

            let add = try await connection.call("add_entry", ["kind": "Fixed", "text": "Escaped the worktree."])
            #expect(add.isError)
            #expect(add.text.contains("symbolic link"))
            let read = try await connection.call("read_changelog", ["section": "all"])
            #expect(read.isError)
            #expect(!read.text.contains("Someone else"))
            #expect(try String(contentsOf: target, encoding: .utf8) == original)
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: connection.changelog.path) == target.path)
        }
    }

    @Test("a CHANGELOG.md with a second hard link is refused")
    func hardLink() async throws {
        try await Connection.with { connection in
            let original = "# Changelog\n\n## [Unreleased]\n"
            try original.write(to: connection.changelog, atomically: true, encoding: .utf8)
            let other = connection.folder.appendingPathComponent("elsewhere.md")
            try FileManager.default.linkItem(at: connection.changelog, to: other)

            let add = try await connection.call("add_entry", ["kind": "Fixed", "text": "Wrote through a hard link."])
            #expect(add.isError)
            #expect(add.text.contains("2 hard links"))
            #expect(try String(contentsOf: other, encoding: .utf8) == original)
        }
    }

    @Test("a folder named CHANGELOG.md is not a changelog")
    func notARegularFile() async throws {
        try await Connection.with { connection in
            try FileManager.default.createDirectory(at: connection.changelog, withIntermediateDirectories: true)
            let add = try await connection.call("add_entry", ["kind": "Fixed", "text": "x"])
            #expect(add.isError)
            #expect(add.text.contains("not a regular file"))
        }
    }

    @Test("the file's permissions survive the atomic replacement")
    func permissionsKept() async throws {
        try await Connection.with { connection in
            try "## [Unreleased]\n".write(to: connection.changelog, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: connection.changelog.path)
            let add = try await connection.call("add_entry", ["kind": "Fixed", "text": "x"])
            #expect(!add.isError)
            let attributes = try FileManager.default.attributesOfItem(atPath: connection.changelog.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }
}
