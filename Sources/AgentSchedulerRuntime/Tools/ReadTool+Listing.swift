extension ReadTool {
    /// A folder's entries, sorted: `name/` for a folder, `name -> target` for a symlink, `name`
    /// for anything else. `.git` is left out.
    func listing(of folder: ConfinedPath, limits: ToolLimits) throws(ToolFailure) -> ToolResult {
        let entries = try LocalFile.entries(in: folder)
            .filter { !Confinement.isGitFolder(Substring($0.name)) }
            .sorted { $0.name < $1.name }
        guard !entries.isEmpty else { return .success("(empty folder)") }
        let lines = entries.map { entry in
            switch entry.status?.kind {
            case .directory: return entry.name + "/"
            case .symlink: return entry.name + " -> " + (entry.target ?? "?")
            default: return entry.name
            }
        }
        let (text, truncated) = ToolOutput.truncate(
            lines.joined(separator: "\n"), limit: limits.maxOutputBytes,
            hint: "list a subfolder, or search with a glob for the names you need")
        return .success(text, truncated: truncated)
    }
}
