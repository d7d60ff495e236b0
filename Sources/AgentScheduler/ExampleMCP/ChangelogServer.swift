import Foundation
import Logging
import MCP

/// The `changelog` MCP server that ships with agentsched: the example team's docs writer reads and
/// extends the `CHANGELOG.md` of its session's worktree through it, offline.
///
/// Two tools, on the official Swift SDK's `Server`:
/// - `read_changelog` (read-only): the `## [Unreleased]` section, or the whole file.
/// - `add_entry`: one line under `### KIND` in `## [Unreleased]` (``ChangelogFile`` edits the text,
///   ``ChangelogFolder`` reads and replaces the file without leaving the folder).
///
/// Arguments that do not fit are tool results with `isError: true`, which the model reads and can
/// correct; an unknown tool is a JSON-RPC error (invalid params, as MCP's specification has it).
/// Calls run one at a time, so two entries added at once both land. `agentsched mcp-server changelog`
/// runs it on standard input and output (``runOnStandardIO()``).
public actor ChangelogServer {
    /// The name `agentsched mcp-server` knows it by.
    public static let name = "changelog"
    /// The server's version, as it tells clients.
    public static let version = "0.1.0"

    /// The tool that reads the changelog.
    public static let readTool = "read_changelog"
    /// The tool that adds an entry.
    public static let addTool = "add_entry"

    /// The tools the server lists, with their input schemas and annotations.
    public static let tools: [Tool] = [
        Tool(
            name: readTool, title: "Read the changelog",
            description: """
                Read CHANGELOG.md in the working folder: by default only its ## [Unreleased] section (the changes \
                not released yet), or the whole file with section "all". Says so when there is no changelog.
                """,
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "section": .object([
                        "type": "string", "enum": ["unreleased", "all"], "default": "unreleased",
                        "description": "unreleased: only the ## [Unreleased] section; all: the whole file.",
                    ])
                ]),
                "required": .array([]),
                "additionalProperties": false,
            ]),
            annotations: .init(
                title: "Read the changelog", readOnlyHint: true, destructiveHint: false, idempotentHint: true,
                openWorldHint: false)),
        Tool(
            name: addTool, title: "Add a changelog entry",
            description: """
                Add one entry to CHANGELOG.md in the working folder, under ### KIND in its ## [Unreleased] \
                section (Keep a Changelog). Creates the file, the section or the kind's heading when missing, \
                in Keep a Changelog's order of kinds. The text is one line of at most \
                \(ChangelogFile.maximumEntryLength) characters, written for users of the project.
                """,
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "kind": .object([
                        "type": "string", "enum": .array(ChangelogFile.Kind.allCases.map { .string($0.rawValue) }),
                        "description": "The kind of change, as Keep a Changelog names them.",
                    ]),
                    "text": .object([
                        "type": "string", "minLength": 1, "maxLength": .int(ChangelogFile.maximumEntryLength),
                        "description": "The entry: one line, without the leading \"- \".",
                    ]),
                ]),
                "required": ["kind", "text"],
                "additionalProperties": false,
            ]),
            annotations: .init(
                title: "Add a changelog entry", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
                openWorldHint: false)),
    ]

    private let folder: ChangelogFolder

    /// A server on the `CHANGELOG.md` of `folder`, and on no other file.
    public init(folder: URL) {
        self.folder = ChangelogFolder(folder: folder)
    }

    /// Starts the SDK's `Server` with these tools on `transport`; the caller stops it.
    public func start(on transport: any Transport) async throws -> Server {
        let server = Server(
            name: "agentsched-\(Self.name)", version: Self.version, title: "Changelog",
            instructions: "Reads CHANGELOG.md of the working folder and adds entries to its [Unreleased] section.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: Self.tools) }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            try await call(parameters.name, arguments: parameters.arguments ?? [:])
        }
        try await server.start(transport: transport)
        return server
    }

    /// Serves `transport` until its input ends, answers what is still being worked on, then stops.
    public func run(on transport: any Transport, logger: Logger) async throws {
        let draining = DrainingTransport(transport, logger: logger)
        let server = try await start(on: draining)
        await server.waitUntilCompleted()
        await draining.drain(timeout: .seconds(10))
        await server.stop()
    }

    /// Serves standard input and output (the SDK's `StdioTransport`) until standard input closes.
    /// Nothing else is written to standard output: it is the protocol's.
    public func runOnStandardIO() async throws {
        let logger = Logger(label: "agentsched.mcp-server.\(Self.name)")
        try await run(on: StdioTransport(logger: logger), logger: logger)
    }

    /// Runs the tool `name` with `arguments`: its result, an error result for arguments that do not
    /// fit, or `invalidParams` for a tool that does not exist.
    public func call(_ name: String, arguments: [String: Value]) throws(MCPError) -> CallTool.Result {
        switch name {
        case Self.readTool: read(arguments)
        case Self.addTool: add(arguments)
        default: throw .invalidParams("Unknown tool: \(name); this server has \(Self.readTool) and \(Self.addTool)")
        }
    }

    private func read(_ arguments: [String: Value]) -> CallTool.Result {
        do {
            try Self.refuseUnknown(arguments, allowed: ["section"])
            let section = try Self.string("section", in: arguments) ?? "unreleased"
            guard section == "unreleased" || section == "all" else {
                throw Refusal("section must be \"unreleased\" or \"all\", not \"\(section)\"")
            }
            guard let text = try folder.read() else {
                return Self.result("There is no \(ChangelogFolder.fileName) in this folder yet; add_entry creates one.")
            }
            if section == "all" { return Self.result(text) }
            guard let unreleased = ChangelogFile(text: text).unreleasedSection else {
                return Self.result(
                    "\(ChangelogFolder.fileName) has no ## [Unreleased] section yet; add_entry creates one.")
            }
            return Self.result(unreleased)
        } catch {
            return Self.result("\(error)", isError: true)
        }
    }

    private func add(_ arguments: [String: Value]) -> CallTool.Result {
        do {
            try Self.refuseUnknown(arguments, allowed: ["kind", "text"])
            guard let name = try Self.string("kind", in: arguments) else { throw Refusal("kind is required") }
            guard let text = try Self.string("text", in: arguments) else { throw Refusal("text is required") }
            let kind = try ChangelogFile.kind(named: name)
            let entry = try ChangelogFile.entry(text)
            let existing = try folder.read()
            var file = ChangelogFile(text: existing ?? "")
            try file.add(entry, as: kind)
            try folder.write(file.text)
            let created = existing == nil ? " (created the file)" : ""
            return Self.result(
                "Added to \(ChangelogFolder.fileName)\(created) under ## [Unreleased] / ### \(kind.rawValue): - \(entry)"
            )
        } catch {
            return Self.result("\(error)", isError: true)
        }
    }

    /// Arguments that do not fit the tool; the description is the text of the error result.
    private struct Refusal: Error, CustomStringConvertible {
        var description: String

        init(_ description: String) {
            self.description = description
        }
    }

    private static func refuseUnknown(_ arguments: [String: Value], allowed: Set<String>) throws(Refusal) {
        let unknown = arguments.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw Refusal(
                "unknown argument\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); "
                    + "this tool takes \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The string argument `key`; `nil` when it is absent (or null), refused when it is not a string.
    private static func string(_ key: String, in arguments: [String: Value]) throws(Refusal) -> String? {
        switch arguments[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let value?: throw Refusal("\(key) must be a string, not \(value)")
        }
    }

    private static func result(_ text: String, isError: Bool = false) -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: isError)
    }
}
