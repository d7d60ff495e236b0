extension Team {
    /// One row per profile: handle, name, model, tools, permission and file.
    public func table() -> TextTable {
        var table = TextTable(headers: ["HANDLE", "NAME", "MODEL", "TOOLS", "PERMISSION", "SOURCE"])
        for profile in profiles {
            let tools =
                profile.tools == .all
                ? "all" : profile.tools.isEmpty ? "none" : profile.tools.names.joined(separator: ",")
            table.append([
                profile.handle, profile.name, profile.models.joined(separator: ","), tools, profile.permission.rawValue,
                profile.source,
            ])
        }
        return table
    }
}
