import Foundation

/// What `validate` reports: the workspace's diagnostics, limited to the paths asked about and
/// escalated under `--strict`.
public struct WorkspaceValidation: Sendable {
    public var workspace: Workspace
    /// Sorted; under `strict`, warnings are errors.
    public var diagnostics: [Diagnostic]

    /// Keeps the diagnostics in files at or below one of `paths` (all of them when `paths` is empty).
    ///
    /// `machine` adds what was found about this machine rather than read from the files (a missing
    /// sandbox), placed at the files it concerns.
    public init(workspace: Workspace, paths: [String] = [], strict: Bool = false, machine: [Diagnostic] = []) {
        self.workspace = workspace
        let prefixes = paths.map(Self.normalised)
        diagnostics = (workspace.diagnostics + machine).sorted().filter { diagnostic in
            prefixes.isEmpty
                || prefixes.contains { prefix in
                    let file = Self.normalised(diagnostic.location.path)
                    return file == prefix || file.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/")
                }
        }
        if strict {
            diagnostics = diagnostics.map { $0.escalated() }
        }
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    /// Whether `validate` exits with 2.
    public var failed: Bool { errorCount > 0 }

    /// One line: what was checked and what was found.
    public var summary: String {
        let counts = [
            plural(workspace.team.profiles.count, "agent"), plural(workspace.policies.count, "organisation"),
            plural(workspace.catalog?.models.count ?? 0, "model"),
        ].joined(separator: ", ")
        if failed {
            return "invalid: \(plural(errorCount, "error")), \(plural(warningCount, "warning")) (\(counts))"
        }
        return warningCount == 0 ? "ok: \(counts)" : "ok with \(plural(warningCount, "warning")): \(counts)"
    }

    private func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    private static func normalised(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
