/// One profile file as written, before `extends` is merged: every field optional and located,
/// so checks that need the whole team (models, parents, names) can point at the value.
struct AgentProfileDocument {
    enum Format {
        /// `.yaml`/`.yml`: the prompt is under `prompt:`.
        case yaml
        /// `.agent.md`/`.md`: YAML front matter, the body is the prompt.
        case markdown
    }

    var handle: String
    var path: String
    var format: Format
    /// Where the YAML mapping starts (for "missing key" reports).
    var root: SourceLocation
    var name: Located<String>?
    var description: Located<String>?
    /// Whether any file in the chain wrote `description`, even with a value that was refused.
    var descriptionWritten = false
    var prompt: Located<String>?
    /// Model names as written, first choice first; `inherit` is kept as a name.
    var models: [Located<String>]?
    var tools: ToolSet?
    var disallowedTools: ToolSet?
    /// Sorted by name; `extends` merges them by name.
    var mcpServers: [MCPServerDeclaration]?
    /// Every template this file writes in a server's `env`, `headers` or `url`, where it was
    /// written, for the check of unset variables (this file's own, never merged).
    var mcpTemplates: [(server: String, key: String, template: Located<EnvironmentTemplate>)] = []
    /// The MCP tools `tools` names, where each was written, to check that their servers are declared.
    var toolReferences: [(key: String, reference: Located<MCPToolReference>)] = []
    /// The same for `disallowed-tools`.
    var disallowedToolReferences: [(key: String, reference: Located<MCPToolReference>)] = []
    var limits = AgentLimits()
    var permission: AgentPermission?
    var executeNetwork: NetworkAccess?
    var routingLabels: [String]?
    var routingPriority: Int?
    var extends: [Located<String>] = []
    var attributes: [(key: String, value: JSONValue)] = []

    init(handle: String, path: String, format: Format) {
        self.handle = handle
        self.path = path
        self.format = format
        self.root = SourceLocation(path: path)
    }

    /// The handle of a profile file, or `nil` when the file is not a profile by its name.
    static func handle(forFileName name: String) -> (handle: String, format: Format)? {
        guard !name.hasPrefix("."), name.lowercased() != "readme.md" else { return nil }
        for (suffix, format) in [(".agent.md", Format.markdown), (".md", .markdown), (".yaml", .yaml), (".yml", .yaml)]
        where name.hasSuffix(suffix) && name.count > suffix.count {
            return (String(name.dropLast(suffix.count)), format)
        }
        return nil
    }
}
