import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// Hard links, a folder swapped for a symlink after the path was checked, and oversized writes:
/// the file tools refuse each, and nothing outside the worktree is read or changed.
struct FileToolHardeningTests {
    /// A sandbox whose `h` is a hard link to the outside secret.
    static func sandboxWithHardLink() throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        let secret = sandbox.outside.appendingPathComponent("secret.txt").path
        #expect(link(secret, sandbox.root.appendingPathComponent("h").path) == 0, "link: \(errno)")
        try sandbox.write("plain.txt", "classified-free\n")
        return sandbox
    }

    @Test(arguments: [
        ("read", ["path": "h"]),
        ("edit", ["path": "h", "content": "pwned\n"]),
        ("edit", ["path": "h", "old_string": "classified", "new_string": "pwned"]),
    ])
    func hardLinksAreRefused(tool: String, arguments: [String: String]) async throws {
        let sandbox = try Self.sandboxWithHardLink()
        let result = await sandbox.call(tool, toolArguments(arguments))
        #expect(result.isError)
        #expect(result.output.contains("has 2 hard links"), "\(result.output)")
        #expect(!result.output.contains("classified-data"))
        #expect(sandbox.outsideSecret == "classified-data\n")
    }

    @Test func searchSkipsHardLinksWithANote() async throws {
        let sandbox = try Self.sandboxWithHardLink()
        let none = await sandbox.call("search", toolArguments(["pattern": "classified-data"]))
        #expect(
            none.output
                == "No matches for /classified-data/: 1 file searched in the worktree "
                + "(skipped: 1 with more than one hard link, which the file tools refuse).")
        let some = await sandbox.call("search", toolArguments(["pattern": "classified"]))
        #expect(
            some.output
                == "plain.txt:1: classified-free\n[skipped 1 file with more than one hard link, which the file tools refuse]"
        )
    }

    /// The path is checked, then `sub` is swapped for a symlink to the outside folder before the
    /// file is opened: the descriptor chain refuses to follow it.
    @Test func aSymlinkSwappedIntoAnIntermediateFolderIsRefused() throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("sub/secret.txt", "inside\n")
        let confinement = try Confinement(root: sandbox.root)
        let checked = try confinement.resolve("sub/secret.txt").get()
        let created = try confinement.resolve("sub/created.txt").get()
        let folder = try confinement.resolve("sub").get()
        try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("sub"))
        try sandbox.link("sub", to: sandbox.outside.path)

        #expect(throws: ToolFailure.self) {
            try LocalFile.readAll(checked, limit: 1 << 20) { _ in "too large" }
        }
        #expect(throws: ToolFailure.self) { try LocalFile.writeAll(Array("pwned\n".utf8), to: checked) }
        #expect(throws: ToolFailure.self) { try LocalFile.writeAll(Array("pwned\n".utf8), to: created) }
        #expect(throws: ToolFailure.self) { try LocalFile.names(in: folder) }
        if case .success = LocalFile.status(checked) { Issue.record("status went through the swapped symlink") }
        do {
            _ = try LocalFile.readAll(checked, limit: 1 << 20) { _ in "too large" }
        } catch {
            #expect(error.message.contains("is now a symlink or not a folder"), "\(error.message)")
        }
        #expect(sandbox.outsideSecret == "classified-data\n")
        #expect(!FileManager.default.fileExists(atPath: sandbox.outside.appendingPathComponent("created.txt").path))
    }

    /// A leaf swapped for a symlink after the check is not followed either.
    @Test func aSymlinkSwappedInAsTheLeafIsRefused() throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("file.txt", "inside\n")
        let checked = try Confinement(root: sandbox.root).resolve("file.txt").get()
        try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("file.txt"))
        try sandbox.link("file.txt", to: sandbox.outside.path + "/secret.txt")
        #expect(throws: ToolFailure.self) {
            try LocalFile.readAll(checked, limit: 1 << 20) { _ in "too large" }
        }
        #expect(throws: ToolFailure.self) { try LocalFile.writeAll(Array("pwned\n".utf8), to: checked) }
        #expect(sandbox.outsideSecret == "classified-data\n")
    }

    @Test(arguments: [
        ("content", ["path": "big.txt", "content": String(repeating: "x", count: 101)]),
        ("replacement", ["path": "small.txt", "old_string": "grow", "new_string": String(repeating: "y", count: 100)]),
    ])
    func anOversizedWriteIsRefused(name: String, arguments: [String: String]) async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("small.txt", "grow\n")
        let result = await sandbox.call("edit", toolArguments(arguments), limits: ToolLimits(maxFileBytes: 100))
        #expect(result.isError, "\(name)")
        #expect(
            result.output.contains("over the 100 bytes limit on a written file (limits.max-file-bytes)"),
            "\(result.output)")
        #expect(!sandbox.exists("big.txt"))
        #expect(sandbox.read("small.txt") == "grow\n")
    }

    @Test func aWriteAtTheLimitGoesThroughAndLeavesNoTemporaryFile() async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call(
            "edit", toolArguments(["path": "a/b/exact.txt", "content": String(repeating: "x", count: 100)]),
            limits: ToolLimits(maxFileBytes: 100))
        #expect(!result.isError, "\(result.output)")
        #expect(sandbox.read("a/b/exact.txt")?.count == 100)
        let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.appendingPathComponent("a/b").path)
        #expect(names == ["exact.txt"])
    }
}
