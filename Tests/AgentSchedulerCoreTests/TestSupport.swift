import Foundation
import Testing

@testable import AgentSchedulerCore

/// Test fixtures shared by the suites: a model catalog, temporary folders and workspaces.
enum Fixtures {
    /// A small catalog: a 0× default with a display-name alias, Claude Code's short names, a fractional
    /// multiplier (0.33) and a large one (7.5).
    static let catalog = """
        default: gpt-4.1
        models:
          gpt-4.1:
            provider: openai
            base-url: "https://models.github.ai/inference"
            api-key-env: GITHUB_TOKEN
            multiplier: 0
            aliases: ["GPT-4.1"]
          claude-sonnet-4.5:
            provider: anthropic
            multiplier: 1
            aliases: ["Claude Sonnet 4.5", sonnet]
          claude-haiku-4.5:
            provider: anthropic
            multiplier: 0.33
            aliases: [haiku]
          claude-opus-4.7:
            provider: anthropic
            multiplier: 15
            aliases: [opus]
          gpt-5.5:
            provider: openai
            multiplier: 7.5

        """

    /// The package root, found from this file: Tests/AgentSchedulerCoreTests/TestSupport.swift → ../../
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// Runs `body` with a fresh, empty folder under the temporary directory, and removes the folder afterwards.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("agentsched-core-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    return try body(root)
}

/// Writes `contents` to `root/relative`, creating the folders on the way.
func writeFile(_ contents: String, to relative: String, in root: String) throws {
    try writeFile(Data(contents.utf8), to: relative, in: root)
}

func writeFile(_ contents: Data, to relative: String, in root: String) throws {
    let url = URL(fileURLWithPath: root + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: url)
}

/// A workspace that was written to a temporary folder and loaded; the folder is gone again.
struct LoadedWorkspace {
    var root: String
    var workspace: Workspace

    var diagnostics: [Diagnostic] { workspace.diagnostics }

    /// The path diagnostics use for a file of the workspace.
    func path(_ relative: String) -> String { root + "/" + relative }

    func profile(_ handle: String) -> AgentProfile? {
        workspace.team.profiles.first { $0.handle == handle }
    }
}

/// Writes `files` (relative path → text) and, unless `catalog` is nil, `policies/models.yaml`, then loads the
/// workspace. `prepare` may add files that are not plain text (symlinks, FIFOs, binary files).
/// `environment` stands in for agentsched's (MCP templates are checked against it).
func loadWorkspace(
    _ files: [String: String],
    catalog: String? = Fixtures.catalog,
    limits: YAMLLimits = .default,
    extraFiles: [String] = [],
    environment: [String: String] = [:],
    prepare: (String) throws -> Void = { _ in }
) throws -> LoadedWorkspace {
    try withTemporaryFolder { root in
        if let catalog { try writeFile(catalog, to: "policies/models.yaml", in: root) }
        for (relative, text) in files { try writeFile(text, to: relative, in: root) }
        try prepare(root)
        let workspace = WorkspaceLoader(
            root: root, limits: limits, extraFiles: extraFiles.map { root + "/" + $0 }, environment: environment
        ).load()
        return LoadedWorkspace(root: root, workspace: workspace)
    }
}

/// One expected diagnostic, without its path (the tests' folders are random).
struct ExpectedDiagnostic: Sendable, CustomStringConvertible {
    var line: Int
    var column: Int
    var severity: Diagnostic.Severity
    var code: DiagnosticCode
    var message: String
    var hint: String?

    init(
        _ line: Int, _ column: Int, _ severity: Diagnostic.Severity, _ code: DiagnosticCode, _ message: String,
        hint: String? = nil
    ) {
        self.line = line
        self.column = column
        self.severity = severity
        self.code = code
        self.message = message
        self.hint = hint
    }

    func diagnostic(in path: String) -> Diagnostic {
        Diagnostic(severity, code, message, hint: hint, at: Location(path: path, line: line, column: column))
    }

    var description: String { "\(line):\(column): \(severity.rawValue): [\(code.rawValue)] \(message)" }
}

/// A file of a workspace, its text, and the diagnostics loading it must produce (all in that file).
struct FileCase: Sendable, CustomTestStringConvertible {
    var label: String
    var file: String
    var text: String
    var expected: [ExpectedDiagnostic]

    init(_ label: String, file: String, _ text: String, _ expected: [ExpectedDiagnostic]) {
        self.label = label
        self.file = file
        self.text = text
        self.expected = expected
    }

    var testDescription: String { label }
}

/// `SourceLocation` is also a type of the Testing library.
typealias Location = AgentSchedulerCore.SourceLocation
