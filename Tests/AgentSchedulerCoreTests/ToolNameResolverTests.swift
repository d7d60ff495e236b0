import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Tool names")
struct ToolNameResolverTests {
    typealias Resolution = ToolNameResolver.Resolution

    static func mcp(_ server: String, _ tool: String?) -> Resolution {
        .mcp(MCPToolReference(server: server, tool: tool))
    }

    @Test(
        "every dialect's spelling resolves to its canonical tool",
        arguments: [
            // GitHub's aliases, without regard to case
            ("read", .builtin(.read)), ("search", .builtin(.search)), ("edit", .builtin(.edit)),
            ("execute", .builtin(.execute)), ("shell", .builtin(.execute)), ("bash", .builtin(.execute)),
            ("agent", .builtin(.agent)), ("todo", .builtin(.todo)), ("web", .builtin(.web)), ("READ", .builtin(.read)),
            ("  search  ", .builtin(.search)),
            // Claude Code
            ("Read", .builtin(.read)), ("Grep", .builtin(.search)), ("Glob", .builtin(.search)),
            ("Edit", .builtin(.edit)), ("Write", .builtin(.edit)), ("MultiEdit", .builtin(.edit)),
            ("NotebookEdit", .builtin(.edit)), ("Bash", .builtin(.execute)), ("Bash(npm test:*)", .builtin(.execute)),
            ("Bash(git diff:*)", .builtin(.execute)), ("Task", .builtin(.agent)), ("Task(reviewer)", .builtin(.agent)),
            ("WebFetch", .builtin(.web)), ("WebSearch", .builtin(.web)), ("TodoWrite", .builtin(.todo)),
            ("LS", .builtin(.read)),
            // VS Code
            ("codebase", .builtin(.search)), ("editFiles", .builtin(.edit)), ("runCommands", .builtin(.execute)),
            ("runInTerminal", .builtin(.execute)), ("runTests", .builtin(.execute)),
            ("findTestFiles", .builtin(.search)), ("usages", .builtin(.search)), ("problems", .builtin(.read)),
            ("changes", .builtin(.read)), ("fetch", .builtin(.web)), ("githubRepo", .builtin(.search)),
            ("runSubagent", .builtin(.agent)), ("todos", .builtin(.todo)),
            // namespaced: by the namespace
            ("edit/editFiles", .builtin(.edit)), ("execute/runInTerminal", .builtin(.execute)),
            ("read/readFile", .builtin(.read)), ("search/codebase", .builtin(.search)), ("web/fetch", .builtin(.web)),
            ("Edit/anything", .builtin(.edit)),
            // MCP
            ("github/*", mcp("github", nil)), ("github/get_issue", mcp("github", "get_issue")),
            ("mcp__github__get_issue", mcp("github", "get_issue")), ("mcp__github", mcp("github", nil)),
            ("mcp__github__*", mcp("github", nil)), ("mcp__github__", mcp("github", nil)),
            ("playwright/browser_navigate", mcp("playwright", "browser_navigate")),
            ("mcp__my_server__do_it", mcp("my_server", "do_it")),
            // everything
            ("*", .all), (" * ", .all),
            // unknown
            ("Bsh", .unknown), ("frobnicate", .unknown), ("", .unknown), ("(x)", .unknown), ("Bash(", .unknown),
            ("mcp__", .unknown), ("mcp____tool", .unknown), ("/tool", .unknown), ("github/", .unknown),
            ("readfile", .builtin(.read)), ("Reader", .unknown),
        ] as [(String, Resolution)])
    func resolves(name: String, resolution: Resolution) {
        #expect(ToolNameResolver.resolve(name) == resolution)
    }

    @Test("every documented spelling resolves, so 'did you mean' never suggests an unknown name")
    func knownSpellingsResolve() {
        for spelling in ToolNameResolver.knownSpellings {
            #expect(ToolNameResolver.resolve(spelling) != .unknown, "\(spelling)")
        }
    }

    @Test("tool sets list canonical names in a stable order and survive JSON")
    func toolSetNames() throws {
        let set = ToolSet(
            builtins: [.web, .read, .execute],
            mcp: [
                MCPToolReference(server: "github", tool: nil),
                MCPToolReference(server: "github", tool: "get_issue"),
            ], allMCP: true)
        #expect(set.names == ["read", "execute", "web", "github/*", "github/get_issue", "*/*"])
        #expect(ToolSet.all.names == ["read", "search", "edit", "execute", "agent", "todo", "web", "*/*"])
        #expect(ToolSet.none.isEmpty)
        let json = try StructuredOutput.json(set)
        #expect(try JSONDecoder().decode(ToolSet.self, from: Data(json.utf8)) == set)
    }

    @Test("a read-only permission removes the tools that write")
    func clipped() {
        #expect(
            ToolSet.all.clipped(to: .readOnly)
                == ToolSet(builtins: [.read, .search, .agent, .todo, .web], allMCP: true))
        #expect(ToolSet.all.clipped(to: .write) == .all)
    }

    @Test("subtracting a whole server removes its tools; subtracting everything leaves nothing")
    func subtracting() {
        let github = MCPToolReference(server: "github", tool: nil)
        let issue = MCPToolReference(server: "github", tool: "get_issue")
        let semgrep = MCPToolReference(server: "semgrep", tool: "scan")
        let set = ToolSet(builtins: [.read, .edit], mcp: [issue, semgrep])
        #expect(
            set.subtracting(ToolSet(builtins: [.edit], mcp: [github]))
                == ToolSet(builtins: [.read], mcp: [semgrep]))
        #expect(set.subtracting(.all) == .none)
        #expect(ToolSet.all.subtracting(ToolSet(builtins: [.execute])).allMCP)
    }
}
