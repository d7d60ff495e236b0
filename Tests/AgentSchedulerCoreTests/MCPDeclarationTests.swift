import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("MCP server declarations in profiles and policies")
struct MCPDeclarationTests {
    static let neitherHint = "give 'command' (and 'args') for a local server, or 'url' for an HTTP one"
    static let urlHint = "agentsched speaks streamable HTTP to servers at a URL; run others with 'command'"
    static let nameHint = "the model sees its tools as 'server__tool'; rename the server"

    /// A YAML profile whose `mcp-servers` starts on line 2, so a server's name is on line 3.
    static func servers(_ label: String, _ servers: String, _ expected: ExpectedDiagnostic...) -> FileCase {
        FileCase(label, file: "agents/p.yaml", "description: Helps.\nmcp-servers:\n" + servers, expected)
    }

    static let invalidServers: [FileCase] = [
        servers(
            "neither 'command' nor 'url', at the server's name", "  x:\n    args: [a]\n",
            ExpectedDiagnostic(
                3, 3, .error, .missingKey, "MCP server 'x' has neither 'command' nor 'url'", hint: neitherHint)),
        servers(
            "both 'command' and 'url', at the url", "  x:\n    command: run\n    url: https://a.example\n",
            ExpectedDiagnostic(
                5, 10, .error, .invalidValue, "MCP server 'x' has both 'command' and 'url'",
                hint: "a server is either a local command or a URL; remove one")),
        servers(
            "a url that is not http(s)", "  x:\n    url: ftp://files.example.com\n",
            ExpectedDiagnostic(
                4, 10, .error, .invalidValue, "'url' of MCP server 'x' must start with http:// or https://",
                hint: urlHint)),
        servers(
            "a url whose written scheme is missing although it holds a template later",
            "  x:\n    url: \"localhost:8080/${MCP_PATH}\"\n",
            ExpectedDiagnostic(
                4, 10, .error, .invalidValue, "'url' of MCP server 'x' must start with http:// or https://",
                hint: urlHint)),
        servers(
            "'args' as a number", "  x:\n    command: run\n    args: 5\n",
            ExpectedDiagnostic(5, 11, .error, .typeMismatch, "'args' must be a list of strings, not a number")),
        servers(
            "an 'args' item that is a list", "  x:\n    command: run\n    args: [a, [b]]\n",
            ExpectedDiagnostic(5, 15, .error, .typeMismatch, "'args' must be a string, not a list")),
        servers(
            "'env' as a list", "  x:\n    command: run\n    env: [A, B]\n",
            ExpectedDiagnostic(
                5, 10, .error, .typeMismatch, "'env' must be a mapping of names to values, not a list")),
        servers(
            "an 'env' value that is a list", "  x:\n    command: run\n    env:\n      TOKEN: [a]\n",
            ExpectedDiagnostic(6, 14, .error, .typeMismatch, "'env.TOKEN' must be a string, not a list")),
        servers(
            "'headers' as a string", "  x:\n    url: https://a.example\n    headers: Bearer x\n",
            ExpectedDiagnostic(
                5, 14, .error, .typeMismatch, "'headers' must be a mapping of names to values, not a string")),
        servers(
            "an unknown type", "  x:\n    type: websocket\n    url: https://a.example\n",
            ExpectedDiagnostic(
                4, 11, .error, .invalidValue, "'type' is 'websocket'; it must be one of local, stdio, http, sse")),
        servers(
            "an HTTP type with only a command", "  x:\n    type: http\n    command: run\n",
            ExpectedDiagnostic(
                4, 11, .error, .invalidValue, "MCP server 'x' has type 'http' but no 'url'",
                hint: "give the server's URL, or write 'type: stdio' for a local command")),
        servers(
            "a local type with only a url", "  x:\n    type: local\n    url: https://a.example\n",
            ExpectedDiagnostic(
                4, 11, .error, .invalidValue, "MCP server 'x' has type 'local' but no 'command'",
                hint: "give the command to start, or write 'type: http' for a server at a URL")),
        servers(
            "a server name with a space", "  my server:\n    command: run\n",
            ExpectedDiagnostic(
                3, 3, .error, .invalidValue, "MCP server name 'my server' may hold only letters, digits, '-' and '_'",
                hint: nameHint)),
        servers(
            "a server name with a dot", "  my.server: {command: run}\n",
            ExpectedDiagnostic(
                3, 3, .error, .invalidValue, "MCP server name 'my.server' may hold only letters, digits, '-' and '_'",
                hint: nameHint)),
        servers(
            "a server name with '__'", "  my__server: {command: run}\n",
            ExpectedDiagnostic(
                3, 3, .error, .invalidValue,
                "MCP server name 'my__server' contains '__', which separates server and tool in 'server__tool'",
                hint: "use a single '_' or '-'")),
        servers(
            "an unknown key inside a server: a warning, with did-you-mean",
            "  x:\n    command: run\n    argz: [a]\n",
            ExpectedDiagnostic(
                5, 5, .warning, .unknownKey, "unknown key 'argz' in MCP server 'x'", hint: "did you mean 'args'?")),
        servers(
            "a timeout that is not a duration", "  x:\n    command: run\n    timeout: soon\n",
            ExpectedDiagnostic(
                5, 14, .error, .invalidValue, "'timeout' value 'soon' is not a positive duration",
                hint: "write it like 90s, 30m or 1h30m")),
        servers(
            "a server that is a string", "  x: npx\n",
            ExpectedDiagnostic(3, 6, .error, .typeMismatch, "'mcp-servers.x' must be a mapping, not a string")),
        FileCase(
            "mcp-servers as a list", file: "agents/p.yaml", "description: Helps.\nmcp-servers: [a]\n",
            [
                ExpectedDiagnostic(
                    2, 14, .error, .typeMismatch, "'mcp-servers' must be a mapping of server names, not a list")
            ]),
        FileCase(
            "Claude Code's mcpServers as a number", file: "agents/p.yaml", "description: Helps.\nmcpServers: 5\n",
            [
                ExpectedDiagnostic(
                    2, 13, .error, .typeMismatch, "'mcpServers' must be a mapping of server names, not a number")
            ]),
    ]

    @Test("an invalid server declaration gives exactly the expected diagnostic at its place", arguments: invalidServers)
    func invalidServer(profile: FileCase) throws {
        let loaded = try loadWorkspace([profile.file: profile.text])
        #expect(loaded.diagnostics == profile.expected.map { $0.diagnostic(in: loaded.path(profile.file)) })
        // A server with an error is left out; the profile itself still loads.
        if profile.expected.allSatisfy({ $0.severity == .error }) {
            #expect(loaded.profile("p")?.mcpServers == [])
        }
    }

    @Test("an unknown key inside a server is an error under --strict; the server still loads without it")
    func unknownServerKeyUnderStrict() throws {
        let loaded = try loadWorkspace([
            "agents/p.yaml": "description: Helps.\nmcp-servers:\n  x:\n    command: run\n    flavour: vanilla\n"
        ])
        #expect(loaded.profile("p")?.mcpServers.map(\.name) == ["x"])
        #expect(!WorkspaceValidation(workspace: loaded.workspace).failed)
        #expect(WorkspaceValidation(workspace: loaded.workspace, strict: true).errorCount == 1)
    }

    @Test("keys of Copilot, VS Code and Claude Code that agentsched ignores are accepted without a warning")
    func foreignServerKeys() throws {
        let loaded = try loadWorkspace([
            "agents/p.yaml": """
            description: Helps.
            mcp-servers:
              x:
                command: run
                cwd: /tmp
                enabled: true
                disabled: false
                timeoutMs: 30000
                alwaysAllow: [search]
                autoApprove: [search]
                description: A server.
                oauth: {clientId: abc}

            """
        ])
        #expect(loaded.diagnostics == [])
        #expect(
            loaded.profile("p")?.mcpServers == [
                MCPServerDeclaration(
                    name: "x", transport: .stdio(command: "run", arguments: [], environment: [:]),
                    location: Location(path: loaded.path("agents/p.yaml"), line: 3, column: 3))
            ])
    }

    static let copilotProfile = """
        ---
        name: Issue Triage
        description: Triages issues with Sentry and Notion.
        tools: ['read', 'search', 'sentry/get_issue_details', 'notion/*', 'events/*', 'github/*']
        mcp-servers:
          sentry:
            type: 'local'
            command: 'npx'
            args: ['@sentry/mcp-server@latest', '--host=$SENTRY_HOST', 8080]
            tools: ["get_issue_details", "get_issue_summary"]
            env:
              SENTRY_HOST: https://contoso.sentry.io
              SENTRY_ACCESS_TOKEN: ${{ secrets.COPILOT_MCP_SENTRY_ACCESS_TOKEN }}
              SENTRY_ORG: ${COPILOT_MCP_SENTRY_ORG}
          notion:
            type: 'http'
            url: 'https://mcp.notion.com/mcp'
            headers:
              Authorization: 'Bearer ${COPILOT_MCP_NOTION_TOKEN}'
            tools: ["*"]
          events:
            type: sse
            url: https://events.example.com/sse
            read-only-tools: [list_events]
            timeout: 90s
        ---
        Triage the issue.

        """
    static let copilotEnvironment = [
        "COPILOT_MCP_SENTRY_ACCESS_TOKEN": "sentry-s3cr3t", "COPILOT_MCP_SENTRY_ORG": "contoso",
        "COPILOT_MCP_NOTION_TOKEN": "notion-s3cr3t",
    ]

    @Test("a Copilot custom agent with local, http and sse servers loads unchanged, servers sorted by name")
    func copilotServers() throws {
        let file = ".github/agents/triage.agent.md"
        let loaded = try loadWorkspace([file: Self.copilotProfile], environment: Self.copilotEnvironment)
        #expect(loaded.diagnostics == [])
        let profile = try #require(loaded.profile("triage"))
        func at(_ line: Int) -> Location { Location(path: loaded.path(file), line: line, column: 3) }
        #expect(
            profile.mcpServers == [
                MCPServerDeclaration(
                    name: "events",
                    transport: .http(url: EnvironmentTemplate("https://events.example.com/sse"), headers: [:]),
                    readOnlyTools: ["list_events"], timeout: HumanDuration(.seconds(90)), location: at(21)),
                MCPServerDeclaration(
                    name: "notion",
                    transport: .http(
                        url: EnvironmentTemplate("https://mcp.notion.com/mcp"),
                        headers: ["Authorization": EnvironmentTemplate("Bearer ${COPILOT_MCP_NOTION_TOKEN}")]),
                    location: at(15)),
                MCPServerDeclaration(
                    name: "sentry",
                    transport: .stdio(
                        command: "npx", arguments: ["@sentry/mcp-server@latest", "--host=$SENTRY_HOST", "8080"],
                        environment: [
                            "SENTRY_HOST": EnvironmentTemplate("https://contoso.sentry.io"),
                            "SENTRY_ACCESS_TOKEN": EnvironmentTemplate(
                                "${{ secrets.COPILOT_MCP_SENTRY_ACCESS_TOKEN }}"),
                            "SENTRY_ORG": EnvironmentTemplate("${COPILOT_MCP_SENTRY_ORG}"),
                        ]),
                    tools: ["get_issue_details", "get_issue_summary"], location: at(6)),
            ])
        #expect(
            profile.tools
                == ToolSet(
                    builtins: [.read, .search],
                    mcp: [
                        MCPToolReference(server: "sentry", tool: "get_issue_details"),
                        MCPToolReference(server: "notion", tool: nil), MCPToolReference(server: "events", tool: nil),
                        MCPToolReference(server: "github", tool: nil),
                    ]))
        let notion = try #require(profile.mcpServers.first { $0.name == "notion" })
        guard case .http(_, let headers) = notion.transport else {
            Issue.record("notion is not an HTTP server")
            return
        }
        #expect(try headers["Authorization"]?.resolve(Self.copilotEnvironment) == "Bearer notion-s3cr3t")
        #expect(
            profile.mcpServers.map(\.variables) == [
                [], ["COPILOT_MCP_NOTION_TOKEN"], ["COPILOT_MCP_SENTRY_ACCESS_TOKEN", "COPILOT_MCP_SENTRY_ORG"],
            ])
        #expect(profile.mcpServers.last?.offers("get_issue_summary") == true)
        #expect(profile.mcpServers.last?.offers("delete_issue") == false)
    }

    @Test("a Claude Code subagent with a stdio server (type omitted) and http and sse servers loads unchanged")
    func claudeServers() throws {
        let file = ".claude/agents/db-analyst.md"
        let loaded = try loadWorkspace(
            [
                file: """
                ---
                name: db-analyst
                description: Answers questions from the analytics database.
                tools: Read, Grep, mcp__postgres__query, mcp__docs__search_docs
                model: sonnet
                mcpServers:
                  postgres:
                    command: npx
                    args: ["-y", "@modelcontextprotocol/server-postgres", "postgresql://localhost/analytics"]
                    env:
                      PGPASSWORD: ${PGPASSWORD:-postgres}
                  docs:
                    type: http
                    url: https://docs.example.com/mcp
                    headers:
                      Authorization: Bearer ${DOCS_TOKEN}
                  events:
                    type: sse
                    url: ${EVENTS_URL:-http://localhost:9000}/sse
                ---
                Answer from the data.

                """
            ], environment: ["DOCS_TOKEN": "docs-s3cr3t"])
        #expect(loaded.diagnostics == [])
        let profile = try #require(loaded.profile("db-analyst"))
        func at(_ line: Int) -> Location { Location(path: loaded.path(file), line: line, column: 3) }
        #expect(
            profile.mcpServers == [
                MCPServerDeclaration(
                    name: "docs",
                    transport: .http(
                        url: EnvironmentTemplate("https://docs.example.com/mcp"),
                        headers: ["Authorization": EnvironmentTemplate("Bearer ${DOCS_TOKEN}")]),
                    location: at(12)),
                MCPServerDeclaration(
                    name: "events",
                    transport: .http(
                        url: EnvironmentTemplate("${EVENTS_URL:-http://localhost:9000}/sse"), headers: [:]),
                    location: at(17)),
                MCPServerDeclaration(
                    name: "postgres",
                    transport: .stdio(
                        command: "npx",
                        arguments: ["-y", "@modelcontextprotocol/server-postgres", "postgresql://localhost/analytics"],
                        environment: ["PGPASSWORD": EnvironmentTemplate("${PGPASSWORD:-postgres}")]),
                    location: at(7)),
            ])
        #expect(
            profile.tools
                == ToolSet(
                    builtins: [.read, .search],
                    mcp: [
                        MCPToolReference(server: "postgres", tool: "query"),
                        MCPToolReference(server: "docs", tool: "search_docs"),
                    ]))
    }

    @Test("an unset variable in env, headers or url is an error at its value that names the variable, never a value")
    func unsetVariables() throws {
        let file = ".github/agents/triage.agent.md"
        // One variable is set: its value must not appear anywhere.
        let loaded = try loadWorkspace(
            [file: Self.copilotProfile], environment: ["COPILOT_MCP_SENTRY_ORG": "contoso-s3cr3t"])
        let hint = "set it before starting agentsched, or write ${NAME:-default}"
        #expect(
            loaded.diagnostics
                == [
                    ExpectedDiagnostic(
                        13, 28, .error, .unsetVariable,
                        "'env.SENTRY_ACCESS_TOKEN' of MCP server 'sentry': the variable $COPILOT_MCP_SENTRY_ACCESS_TOKEN is not set in agentsched's environment",
                        hint: hint),
                    ExpectedDiagnostic(
                        19, 22, .error, .unsetVariable,
                        "'headers.Authorization' of MCP server 'notion': the variable $COPILOT_MCP_NOTION_TOKEN is not set in agentsched's environment",
                        hint: hint),
                ].map { $0.diagnostic(in: loaded.path(file)) })
        #expect(
            !loaded.diagnostics.contains { $0.description.contains("s3cr3t") || ($0.hint ?? "").contains("s3cr3t") })
        // The profile still loads: `run` refuses the workspace for its errors, not for a missing profile.
        #expect(loaded.profile("triage")?.mcpServers.count == 3)
        #expect(WorkspaceValidation(workspace: loaded.workspace).failed)
    }

    @Test(
        "a url that starts with a template is checked only for its variables",
        arguments: [
            ([String: String](), 1), (["MCP_BASE": "https://mcp.example.com"], 0),
        ])
    func templatedURL(environment: [String: String], errors: Int) throws {
        let loaded = try loadWorkspace(
            ["agents/p.yaml": "description: Helps.\nmcp-servers:\n  x: {url: \"${MCP_BASE}/mcp\"}\n"],
            environment: environment)
        #expect(loaded.diagnostics.map(\.code) == Array(repeating: .unsetVariable, count: errors))
        #expect(loaded.diagnostics.allSatisfy { $0.location.line == 3 && $0.location.column == 12 })
        #expect(loaded.profile("p")?.mcpServers.map(\.variables) == [["MCP_BASE"]])
    }

    @Test("extends merges servers by name: the child's server replaces the parent's, the others are kept")
    func extendsMergesServers() throws {
        let loaded = try loadWorkspace([
            "agents/base.yaml": """
            description: Base.
            mcp-servers:
              docs: {url: "https://docs.example.com/mcp"}
              db: {command: db-mcp}

            """,
            "agents/child.yaml": """
            extends: base
            description: Child.
            mcp-servers:
              db: {command: db-mcp, args: [--read-only]}
              search: {type: http, url: "https://search.example.com/mcp"}
            tools: [read, docs/*, db/query, search/find]

            """,
        ])
        #expect(loaded.diagnostics == [])
        let child = try #require(loaded.profile("child"))
        #expect(
            child.mcpServers == [
                MCPServerDeclaration(
                    name: "db", transport: .stdio(command: "db-mcp", arguments: ["--read-only"], environment: [:]),
                    location: Location(path: loaded.path("agents/child.yaml"), line: 4, column: 3)),
                MCPServerDeclaration(
                    name: "docs",
                    transport: .http(url: EnvironmentTemplate("https://docs.example.com/mcp"), headers: [:]),
                    location: Location(path: loaded.path("agents/base.yaml"), line: 3, column: 3)),
                MCPServerDeclaration(
                    name: "search",
                    transport: .http(url: EnvironmentTemplate("https://search.example.com/mcp"), headers: [:]),
                    location: Location(path: loaded.path("agents/child.yaml"), line: 5, column: 3)),
            ])
        #expect(loaded.profile("base")?.mcpServers.map(\.name) == ["db", "docs"])
    }

    @Test(
        "an inherited tools list is checked against the child's merged servers; the parent's own gap is reported once")
    func inheritedToolReferences() throws {
        let loaded = try loadWorkspace([
            "agents/base.yaml": "description: Base.\ntools: [read, jira/*]\n",
            "agents/child.yaml": "extends: base\ndescription: Child.\nmcp-servers:\n  jira: {command: jira-mcp}\n",
        ])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    2, 15, .warning, .unknownTool,
                    "'tools' names 'jira/*' of MCP server 'jira', which the profile does not declare",
                    hint: "declare it under 'mcp-servers'"
                ).diagnostic(in: loaded.path("agents/base.yaml"))
            ])
    }

    @Test(
        "an MCP tool whose server the profile does not declare is a warning with the declared names; Copilot's built-in servers are not"
    )
    func undeclaredServer() throws {
        let loaded = try loadWorkspace([
            "agents/p.yaml": """
            description: Helps.
            tools: [read, jira/*, sentry/get_issue, github/*, playwright/browser_navigate]
            disallowed-tools: [mcp__jira__delete]
            mcp-servers:
              sentry: {command: sentry-mcp}

            """
        ])
        let hint = "the profile declares sentry"
        #expect(
            loaded.diagnostics
                == [
                    ExpectedDiagnostic(
                        2, 15, .warning, .unknownTool,
                        "'tools' names 'jira/*' of MCP server 'jira', which the profile does not declare", hint: hint),
                    ExpectedDiagnostic(
                        3, 20, .warning, .unknownTool,
                        "'disallowed-tools' names 'jira/delete' of MCP server 'jira', which the profile does not declare",
                        hint: hint),
                ].map { $0.diagnostic(in: loaded.path("agents/p.yaml")) })
        #expect(!WorkspaceValidation(workspace: loaded.workspace).failed)
        #expect(WorkspaceValidation(workspace: loaded.workspace, strict: true).errorCount == 2)
    }

    @Test("a server name close to an undeclared one is suggested")
    func undeclaredServerSuggestion() throws {
        let loaded = try loadWorkspace([
            "agents/p.yaml": "description: Helps.\ntools: [sentri/*]\nmcp-servers:\n  sentry: {command: s}\n"
        ])
        #expect(loaded.diagnostics.map(\.hint) == ["did you mean 'sentry'?"])
    }

    @Test("the shipped Copilot example loads with its semgrep server, and names its secret when it is unset")
    func shippedSecurityReviewer() throws {
        let text = try String(
            contentsOfFile: Fixtures.packageRoot + "/examples/copilot/security-reviewer.agent.md", encoding: .utf8)
        let file = "agents/security-reviewer.agent.md"
        let withSecret = try loadWorkspace(
            [file: text], environment: ["COPILOT_MCP_SEMGREP_APP_TOKEN": "semgrep-s3cr3t"])
        #expect(withSecret.diagnostics == [])
        #expect(
            withSecret.profile("security-reviewer")?.mcpServers == [
                MCPServerDeclaration(
                    name: "semgrep",
                    transport: .stdio(
                        command: "semgrep", arguments: ["mcp"],
                        environment: [
                            "SEMGREP_APP_TOKEN": EnvironmentTemplate("${{ secrets.COPILOT_MCP_SEMGREP_APP_TOKEN }}")
                        ]),
                    location: Location(path: withSecret.path(file), line: 7, column: 3))
            ])
        let withoutSecret = try loadWorkspace([file: text])
        #expect(
            withoutSecret.diagnostics == [
                ExpectedDiagnostic(
                    13, 26, .error, .unsetVariable,
                    "'env.SEMGREP_APP_TOKEN' of MCP server 'semgrep': the variable $COPILOT_MCP_SEMGREP_APP_TOKEN is not set in agentsched's environment",
                    hint: "set it before starting agentsched, or write ${NAME:-default}"
                ).diagnostic(in: withoutSecret.path(file))
            ])
    }

    static let team = ["agents/helper.yaml": "description: Helps.\n"]

    @Test("repositories[].mcp-servers lists the servers allowed there by name or glob; absent, all are allowed")
    func policyServers() throws {
        var files = Self.team
        files["policies/acme.yaml"] = """
            org: acme
            repositories:
              - match: "acme/locked"
                mcp-servers: []
              - match: "acme/tools"
                mcp-servers: [docs, "internal-*"]
              - match: "acme/*"

            """
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics == [])
        let acme = try #require(loaded.workspace.policy(named: "acme"))
        #expect(acme.rule(for: "acme/locked")?.mcpServers == [])
        #expect(acme.rule(for: "acme/locked")?.allowsMCPServer("docs") == false)
        #expect(acme.rule(for: "acme/tools")?.allowsMCPServer("docs") == true)
        #expect(acme.rule(for: "acme/tools")?.allowsMCPServer("internal-search") == true)
        #expect(acme.rule(for: "acme/tools")?.allowsMCPServer("github") == false)
        #expect(acme.rule(for: "acme/web")?.mcpServers == ["*"])
        #expect(acme.rule(for: "acme/web")?.allowsMCPServer("anything") == true)
    }

    @Test(
        "a wrong type in repositories[].mcp-servers is an error at its place",
        arguments: [
            (
                "5",
                ExpectedDiagnostic(
                    4, 18, .error, .typeMismatch,
                    "'mcp-servers' must be a list or a comma-separated string, not a number")
            ),
            (
                "[docs, 5]",
                ExpectedDiagnostic(4, 25, .error, .typeMismatch, "'mcp-servers' must be a string, not a number")
            ),
            (
                "{docs: true}",
                ExpectedDiagnostic(
                    4, 18, .error, .typeMismatch,
                    "'mcp-servers' must be a list or a comma-separated string, not a mapping")
            ),
        ])
    func policyServersWrongType(value: String, expected: ExpectedDiagnostic) throws {
        var files = Self.team
        files["policies/acme.yaml"] = "org: acme\nrepositories:\n  - match: \"acme/*\"\n    mcp-servers: \(value)\n"
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics == [expected.diagnostic(in: loaded.path("policies/acme.yaml"))])
    }

    @Test(
        "templates fill ${NAME}, ${NAME:-default}, $NAME and GitHub's ${{ secrets.NAME }} / ${{ vars.NAME }}; other $ stay literal",
        arguments: [
            ("Bearer ${TOKEN}", "Bearer t0k"),
            ("$TOKEN", "t0k"),
            ("${TOKEN}${TOKEN}-$TOKEN", "t0kt0k-t0k"),
            ("${{ secrets.TOKEN }}", "t0k"),
            ("${{vars.REGION}}", "eu"),
            ("${UNSET:-fallback}", "fallback"),
            ("${UNSET:-}", ""),
            ("${EMPTY:-fallback}", "fallback"),
            ("${EMPTY}", ""),
            ("${REGION:-us}", "eu"),
            ("cost $5", "cost $5"),
            ("trailing $", "trailing $"),
            ("$$", "$$"),
            ("${unterminated", "${unterminated"),
            ("${1ABC}", "${1ABC}"),
            ("${{ secrets.bad-name }}", "${{ secrets.bad-name }}"),
            ("https://${REGION}.example.com/$TOKEN/x", "https://eu.example.com/t0k/x"),
        ])
    func templateResolution(text: String, filled: String) throws {
        let environment = ["TOKEN": "t0k", "REGION": "eu", "EMPTY": ""]
        #expect(try EnvironmentTemplate(text).resolve(environment) == filled)
    }

    @Test("an unset variable has its own stable diagnostic code")
    func unsetVariableCode() {
        #expect(DiagnosticCode.unsetVariable.rawValue == "unset-variable")
    }

    @Test("a template names each variable once, in order, and reports every unset one without a default")
    func templateVariables() {
        let template = EnvironmentTemplate("${A}-$B-${{ secrets.A }}-${C:-c}-${D}")
        #expect(template.variables == ["A", "B", "C", "D"])
        #expect(throws: EnvironmentTemplate.MissingVariables(names: ["A", "D"])) {
            try template.resolve(["B": "b"])
        }
        #expect(
            EnvironmentTemplate.MissingVariables(names: ["A", "D"]).description == "the variables $A, $D are not set")
        #expect(EnvironmentTemplate.MissingVariables(names: ["A"]).description == "the variable $A is not set")
    }
}
