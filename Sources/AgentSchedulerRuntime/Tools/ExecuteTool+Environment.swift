import Foundation

extension ExecuteTool {
    /// Parts of a variable name that mark it as a secret; such variables never reach a command.
    public static let secretNameParts = ["TOKEN", "KEY", "SECRET", "PASSWORD", "CREDENTIAL"]

    /// The whole environment of a command: `PATH` and `LANG` from this process (or defaults),
    /// `HOME` set to the worktree, `TERM=dumb`, then `extra` — less any variable whose name holds
    /// TOKEN, KEY, SECRET, PASSWORD or CREDENTIAL (in any case).
    public static func environment(root: String, extra: [String: String]) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = [
            "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": root,
            "LANG": inherited["LANG"] ?? "C.UTF-8",
            "TERM": "dumb",
        ]
        for (name, value) in extra where !name.isEmpty && !name.contains("=") {
            environment[name] = value
        }
        return environment.filter { !isSecret($0.key) }
    }

    /// Whether a variable's name marks it as a secret.
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretNameParts.contains { upper.contains($0) }
    }
}
