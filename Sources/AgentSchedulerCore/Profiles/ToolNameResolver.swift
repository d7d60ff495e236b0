/// Normalises the tool names of every profile dialect to `ToolSet` entries.
///
/// Accepts GitHub's aliases (`read`, `execute`, …, case-insensitive), Claude Code's spellings
/// (`Read`, `Grep`, `Bash(npm test:*)`, `mcp__github__get_issue`), VS Code's names (`codebase`,
/// `runCommands`) and namespaced names (`edit/editFiles` maps by namespace; `server/tool` and
/// `server/*` name MCP tools).
public enum ToolNameResolver {
    /// What a tool name means.
    public enum Resolution: Sendable, Equatable {
        case builtin(BuiltinTool)
        case mcp(MCPToolReference)
        /// `*`: every tool.
        case all
        /// A name no dialect defines.
        case unknown
    }

    /// Every spelling agentsched knows, lowercased, to its canonical tool.
    static let aliases: [String: BuiltinTool] = {
        var table: [String: BuiltinTool] = [:]
        let spellings: [BuiltinTool: [String]] = [
            .read: [
                "read", "Read", "NotebookRead", "view", "readFile", "problems", "changes", "terminalLastCommand",
                "terminalSelection", "testFailure", "listDirectory", "getNotebookSummary", "readNotebookCellOutput",
                "LS",
            ],
            .search: [
                "search", "Grep", "Glob", "codebase", "findTestFiles", "usages", "fileSearch", "textSearch",
                "searchResults", "githubRepo",
            ],
            .edit: [
                "edit", "Edit", "MultiEdit", "Write", "NotebookEdit", "editFiles", "createFile", "createDirectory",
                "editNotebook", "new", "str_replace", "str_replace_editor",
            ],
            .execute: [
                "execute", "shell", "Bash", "powershell", "runCommands", "runInTerminal", "runTests", "runTasks",
                "terminal", "getTerminalOutput", "runNotebookCell", "BashOutput", "KillShell",
            ],
            .agent: ["agent", "custom-agent", "Task", "Agent", "runSubagent", "subagent"],
            .todo: ["todo", "TodoWrite", "todos"],
            .web: ["web", "WebSearch", "WebFetch", "fetch", "openSimpleBrowser"],
        ]
        for (tool, names) in spellings {
            for name in names { table[name.lowercased()] = tool }
        }
        return table
    }()

    /// The spellings as written in their documentation, for "did you mean".
    static let knownSpellings: [String] = [
        "read", "search", "edit", "execute", "agent", "todo", "web", "shell", "bash", "Read", "Grep", "Glob",
        "Edit", "MultiEdit", "Write", "NotebookRead", "NotebookEdit", "Bash", "Task", "TodoWrite", "WebFetch",
        "WebSearch", "codebase", "editFiles", "runCommands", "runInTerminal", "runTests", "findTestFiles", "usages",
        "problems", "changes", "fetch", "githubRepo", "runSubagent", "todos",
    ]

    /// What `name` means.
    public static func resolve(_ name: String) -> Resolution {
        var text = name.trimmingSpaces
        if text == "*" { return .all }
        // Claude Code's permission-rule syntax: `Bash(git diff:*)`, `Task(reviewer)`.
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), open != text.startIndex {
            text = String(text[..<open])
        }
        if text.hasPrefix("mcp__") {
            let parts = text.dropFirst(5).split(separator: "__", maxSplits: 1, omittingEmptySubsequences: false)
            guard let server = parts.first, !server.isEmpty else { return .unknown }
            let tool = parts.count == 2 && !parts[1].isEmpty && parts[1] != "*" ? String(parts[1]) : nil
            return .mcp(MCPToolReference(server: String(server), tool: tool))
        }
        if let slash = text.firstIndex(of: "/") {
            let namespace = String(text[..<slash])
            let tool = String(text[text.index(after: slash)...])
            guard !namespace.isEmpty, !tool.isEmpty else { return .unknown }
            if let builtin = BuiltinTool(rawValue: namespace.lowercased()) { return .builtin(builtin) }
            return .mcp(MCPToolReference(server: namespace, tool: tool == "*" ? nil : tool))
        }
        if let builtin = aliases[text.lowercased()] { return .builtin(builtin) }
        return .unknown
    }
}
