extension ReadTool {
    /// A folder's entries, sorted: `name/` for a folder, `name -> target` for a symlink, `name`
    /// for anything else. `.git` is left out.
    func listing(of folder: ConfinedPath, limits: ToolLimits) throws(ToolFailure) -> ToolResult {
        let names = try LocalFile.names(in: folder.absolute)
            .filter { !Confinement.isGitFolder(Substring($0)) }
            .sorted()
        guard !names.isEmpty else { return .success("(empty folder)") }
        let lines = names.map { name in
            let path = folder.absolute + "/" + name
            switch try? LocalFile.status(path).get().kind {
            case .directory: return name + "/"
            case .symlink: return name + " -> " + (LocalFile.linkTarget(path) ?? "?")
            default: return name
            }
        }
        let (text, truncated) = ToolOutput.truncate(
            lines.joined(separator: "\n"), limit: limits.maxOutputBytes,
            hint: "list a subfolder, or search with a glob for the names you need")
        return .success(text, truncated: truncated)
    }
}
