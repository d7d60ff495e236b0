/// The kind of a problem, stable across releases so scripts can match on it.
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The file could not be opened or read.
    case unreadableFile = "unreadable-file"
    /// The file is not UTF-8 text (binary, UTF-16, Latin-1, …).
    case encoding
    /// The file holds nothing.
    case emptyFile = "empty-file"
    /// The file or its YAML is larger, deeper or expands further than agentsched accepts.
    case tooLarge = "too-large"
    /// libyaml could not scan, parse or compose the document.
    case yamlSyntax = "yaml-syntax"
    /// A Markdown profile has no YAML front matter, or it is not closed.
    case frontMatter = "front-matter"
    /// A value has the wrong type (a list where a string belongs, …).
    case typeMismatch = "type-mismatch"
    /// A required key is absent.
    case missingKey = "missing-key"
    /// A key that the format does not define.
    case unknownKey = "unknown-key"
    /// A value outside the allowed set or range.
    case invalidValue = "invalid-value"
    /// A tool name that no alias, Claude spelling or VS Code name matches.
    case unknownTool = "unknown-tool"
    /// A model name that the catalog lacks.
    case unknownModel = "unknown-model"
    /// A model name that selects a retired catalog entry: sessions run on its replacement.
    case retiredModel = "retired-model"
    /// An agent name that no profile of the team has.
    case unknownAgent = "unknown-agent"
    /// Two definitions of one thing (handle, name, organisation, alias).
    case duplicate
    /// `extends` loops back to a profile already on the path.
    case cycle
    /// A rule that spans files (budgets, fallback models, allowances).
    case policy
    /// A template in an MCP server's `env`, `headers` or `url` references a variable that
    /// agentsched's environment lacks, with no `:-default`.
    case unsetVariable = "unset-variable"
    /// `execute` is asked for, but this machine has no working sandbox for it (DESIGN §13).
    case sandboxUnavailable = "sandbox-unavailable"
}
