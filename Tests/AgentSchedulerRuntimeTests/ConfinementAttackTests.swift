import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// Paths that must never get a tool outside its worktree or into `.git`, and paths that must work.
///
/// The sandbox's `outside` folder (a sibling of the root, holding `secret.txt`) stands in for the
/// rest of the machine, so that an attack that got through would hit a temporary file, not /etc.
struct ConfinementAttackTests {
    struct Attack: CustomTestStringConvertible, Sendable {
        var name: String
        var path: String
        /// Part of the refusal's message.
        var reason: String
        /// Reaches the real /etc: checked by resolution and `read` only, never written.
        var system = false
        var testDescription: String { name }
    }

    static func sandbox() throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        let outside = sandbox.outside.path
        try sandbox.write("inside.txt", "inside\n")
        try sandbox.write("sub/file.txt", "sub file\n")
        try sandbox.write(".git/config", "[remote \"origin\"]\n\turl = https://token@example.com/x.git\n")
        try sandbox.write(".git/hooks/pre-commit", "#!/bin/sh\n")
        try sandbox.write("sub/.git/x", "nested repository\n")
        try sandbox.link("etc-link", to: "/etc")
        try sandbox.link("out-link", to: outside)
        try sandbox.link("out-file", to: outside + "/secret.txt")
        try sandbox.link("parent-link", to: "..")
        try sandbox.link("sub/up-two", to: "../..")
        try sandbox.link("chain-1", to: "chain-2")
        try sandbox.link("chain-2", to: "sub/chain-3")
        try sandbox.link("sub/chain-3", to: "../../outside")
        try sandbox.link("loop-a", to: "loop-b")
        try sandbox.link("loop-b", to: "loop-a")
        try sandbox.link("dangling-out", to: outside + "/created-through-link.txt")
        try sandbox.link("git-link", to: ".git")
        try sandbox.link("config-link", to: ".git/config")
        return sandbox
    }

    static let attacks: [Attack] = [
        Attack(name: "parent", path: "../outside/secret.txt", reason: "leads outside the worktree"),
        Attack(name: "bare ..", path: "..", reason: "leads outside the worktree"),
        Attack(name: "climb after descending", path: "sub/../../outside/secret.txt", reason: "leads outside"),
        Attack(name: "dot then parent", path: "./../outside/secret.txt", reason: "leads outside"),
        Attack(name: "missing folder then climb", path: "a/../../x", reason: "leads outside"),
        Attack(name: "absolute /etc/passwd", path: "/etc/passwd", reason: "is an absolute path", system: true),
        Attack(name: "absolute outside", path: "OUTSIDE/secret.txt", reason: "and this one lies outside it"),
        Attack(name: "absolute inside", path: "ROOT/inside.txt", reason: "use 'inside.txt'"),
        Attack(name: "symlink to /etc", path: "etc-link/passwd", reason: "a symlink to '/etc'", system: true),
        Attack(name: "symlink to /etc itself", path: "etc-link", reason: "outside the worktree", system: true),
        Attack(name: "symlink to an outside folder", path: "out-link/secret.txt", reason: "outside the worktree"),
        Attack(name: "symlink to an outside file", path: "out-file", reason: "outside the worktree"),
        Attack(name: "symlink to the parent", path: "parent-link/outside/secret.txt", reason: "outside the worktree"),
        Attack(name: "symlink inside pointing to ../..", path: "sub/up-two/outside/secret.txt", reason: "outside"),
        Attack(name: "symlink chain", path: "chain-1/secret.txt", reason: "outside the worktree"),
        Attack(name: "symlink loop", path: "loop-a", reason: "missing or that loops"),
        Attack(name: "dangling symlink to outside", path: "dangling-out", reason: "missing or that loops"),
        Attack(name: ".git/config", path: ".git/config", reason: "inside a .git folder"),
        Attack(name: ".git/hooks/pre-commit", path: ".git/hooks/pre-commit", reason: "inside a .git folder"),
        Attack(name: ".git itself", path: ".git", reason: "inside a .git folder"),
        Attack(name: "nested .git", path: "sub/.git/x", reason: "inside a .git folder"),
        Attack(name: ".GIT in capitals", path: ".GIT/config", reason: "inside a .git folder"),
        Attack(name: ".git reached by ..", path: "sub/../.git/config", reason: "inside a .git folder"),
        Attack(name: "symlink to .git", path: "git-link/config", reason: "inside a .git folder"),
        Attack(name: "symlink to .git/config", path: "config-link", reason: "inside a .git folder"),
        Attack(name: "NUL byte", path: "inside.txt\u{0}../../outside/secret.txt", reason: "contains a NUL byte"),
        Attack(
            name: "very long path", path: String(repeating: "a/", count: 2100) + "x", reason: "the path is too long"),
        Attack(name: "very long component", path: String(repeating: "n", count: 300), reason: "the path is too long"),
    ]

    /// The attack's path with ROOT and OUTSIDE replaced by the sandbox's real folders.
    static func path(_ attack: Attack, in sandbox: ToolSandbox) -> String {
        attack.path.replacingOccurrences(of: "ROOT", with: sandbox.root.path)
            .replacingOccurrences(of: "OUTSIDE", with: sandbox.outside.path)
    }

    @Test(arguments: attacks)
    func confinementRefuses(_ attack: Attack) throws {
        let sandbox = try Self.sandbox()
        let confinement = try Confinement(root: sandbox.root)
        switch confinement.resolve(Self.path(attack, in: sandbox)) {
        case .success(let resolved): Issue.record("\(attack.name) resolved to \(resolved.absolute)")
        case .failure(let error): #expect(error.message.contains(attack.reason), "\(error.message)")
        }
    }

    @Test(arguments: attacks)
    func readRefuses(_ attack: Attack) async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call("read", toolArguments(["path": Self.path(attack, in: sandbox)]))
        #expect(result.refused, "\(result.output)")
        #expect(!result.output.contains("classified") && !result.output.contains("token@"))
        guard case .path = result.refusal else {
            Issue.record("not a path refusal: \(String(describing: result.refusal))")
            return
        }
    }

    @Test(arguments: attacks.filter { !$0.system })
    func editRefuses(_ attack: Attack) async throws {
        let sandbox = try Self.sandbox()
        let path = Self.path(attack, in: sandbox)
        let create = await sandbox.call("edit", toolArguments(["path": path, "content": "pwned\n"]))
        let replace = await sandbox.call(
            "edit", toolArguments(["path": path, "old_string": "classified", "new_string": "pwned"]))
        #expect(create.refused, "\(create.output)")
        #expect(replace.refused, "\(replace.output)")
        #expect(sandbox.outsideSecret == "classified-data\n")
        #expect(
            !FileManager.default.fileExists(
                atPath: sandbox.outside.appendingPathComponent("created-through-link.txt").path))
        #expect(sandbox.read(".git/config")?.contains("token@") == true)
        #expect(sandbox.read(".git/hooks/pre-commit") == "#!/bin/sh\n")
    }

    @Test(arguments: attacks.filter { !$0.system })
    func searchRefuses(_ attack: Attack) async throws {
        let sandbox = try Self.sandbox()
        let result = await sandbox.call(
            "search", toolArguments(["pattern": "classified|token", "path": Self.path(attack, in: sandbox)]))
        #expect(result.refused, "\(result.output)")
    }

    @Test(arguments: [
        ("inside.txt", "inside.txt"),
        ("./inside.txt", "inside.txt"),
        ("sub/file.txt", "sub/file.txt"),
        ("sub//file.txt", "sub/file.txt"),
        ("sub/../inside.txt", "inside.txt"),
        ("sub/./file.txt/", "sub/file.txt"),
        (".", "."),
        ("", "."),
        ("sub/up/inside.txt", "inside.txt"),
        ("abs-inside", "inside.txt"),
        ("sub-link/file.txt", "sub/file.txt"),
        ("new/folder/file.txt", "new/folder/file.txt"),
        (".gitignore", ".gitignore"),
        (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ("sub/my.git/x", "sub/my.git/x"),
        ("名前/ファイル.txt", "名前/ファイル.txt"),
    ])
    func allows(path: String, relative: String) throws {
        let sandbox = try Self.sandbox()
        try sandbox.link("sub/up", to: "..")
        try sandbox.link("abs-inside", to: sandbox.root.path + "/inside.txt")
        try sandbox.link("sub-link", to: "sub")
        let resolved = try Confinement(root: sandbox.root).resolve(path).get()
        #expect(resolved.relative == relative)
        #expect(resolved.absolute == (relative == "." ? sandbox.root.path : sandbox.root.path + "/" + relative))
    }

    @Test func allowedPathsWorkThroughTheTools() async throws {
        let sandbox = try Self.sandbox()
        try sandbox.link("sub-link", to: "sub")
        let read = await sandbox.call("read", toolArguments(["path": "sub-link/file.txt"]))
        #expect(read.output == "1\tsub file\n")
        let edit = await sandbox.call("edit", toolArguments(["path": "sub-link/new.txt", "content": "new"]))
        #expect(edit.output == "Created sub/new.txt (1 line, 3 bytes)")
        #expect(sandbox.read("sub/new.txt") == "new")
    }

    /// A symlink created by `execute` is checked when a file tool goes through it.
    @Test(arguments: [
        ("ln -s ../outside/secret.txt leak", "leak"),
        ("ln -s / rootfs", "rootfs/etc/passwd"),
        ("ln -s \"$PWD/..\" up", "up/outside/secret.txt"),
        ("mkdir d && ln -s ../../outside d/out", "d/out/secret.txt"),
        ("ln -s .git/config c", "c"),
    ])
    func symlinksMadeByExecuteAreRefused(command: String, path: String) async throws {
        let sandbox = try Self.sandbox()
        let context = sandbox.context()
        let made = await sandbox.call("execute", toolArguments(["command": command]), in: context)
        #expect(!made.isError, "\(made.output)")
        let read = await sandbox.call("read", toolArguments(["path": path]), in: context)
        #expect(read.refused, "\(read.output)")
        if !path.hasPrefix("rootfs") {
            let edit = await sandbox.call("edit", toolArguments(["path": path, "content": "pwned"]), in: context)
            #expect(edit.refused, "\(edit.output)")
        }
        #expect(sandbox.outsideSecret == "classified-data\n")
    }
}
