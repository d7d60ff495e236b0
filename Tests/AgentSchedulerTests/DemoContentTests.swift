import Foundation
import Testing

@testable import AgentScheduler

@Suite("The demo's content compiled into the binary")
struct DemoContentTests {
    @Test("the embedded files are byte-identical to agents/, policies/ and examples/demo/ of the checkout")
    func embeddedMatchesCheckout() throws {
        let checkout = try DemoContent.read(from: DemoSupport.projectRoot)
        let embedded = DemoContent.embedded
        let hint =
            "run `sh scripts/embed-demo-content.sh` to update Sources/AgentScheduler/Demo/DemoContent+Embedded.swift"
        #expect(embedded.files.map(\.path) == checkout.files.map(\.path), "\(hint)")
        for file in checkout.files {
            let copy = embedded.files.first { $0.path == file.path }
            #expect(copy?.bytes == file.bytes, "\(file.path) differs; \(hint)")
        }
        #expect(DemoContent.embeddedFiles.count == embedded.files.count, "an embedded entry does not decode")
        #expect(checkout.files.contains { $0.path == "examples/demo/issues.yaml" })
        #expect(checkout.files.contains { $0.path == "policies/models.yaml" })
    }

    @Test("the demo built from the embedded content is the demo built from the checkout, and leaves no staging folder")
    func embeddedBuildsTheSameDemo() async throws {
        let fromCheckout = try await DemoSupport.build()
        let embeddedFolder = DemoSupport.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: fromCheckout.root)
            try? FileManager.default.removeItem(at: embeddedFolder)
        }
        let fromBinary = try await DemoWorkspace.create(from: .embedded, at: embeddedFolder)
        #expect(fromBinary.baseCommit == fromCheckout.baseCommit)
        #expect(fromBinary.issues == fromCheckout.issues)
        #expect(fromBinary.batches == fromCheckout.batches)
        #expect(fromBinary.budget == fromCheckout.budget)
        let built = try DemoContent.read(from: fromBinary.root, folders: ["agents", "policies", "transcripts"])
        let reference = try DemoContent.read(from: fromCheckout.root, folders: ["agents", "policies", "transcripts"])
        #expect(built == reference)
    }

    @Test("writing refuses a folder that exists, and a path that would leave it, removing what it wrote")
    func writeRefusesUnsafeTargets() throws {
        let existing = DemoSupport.temporaryFolder()
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: existing) }
        #expect(throws: DemoError.folderNotEmpty(existing.path)) {
            try DemoContent(files: [.init(path: "agents/a.md", bytes: Data("a".utf8))]).write(to: existing)
        }

        let target = DemoSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: target) }
        let escaping = DemoContent(files: [
            .init(path: "agents/a.md", bytes: Data("a".utf8)), .init(path: "policies/../../x", bytes: Data()),
        ])
        #expect(throws: DemoError.self) { try escaping.write(to: target) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test(
        "only plain relative paths are written",
        arguments: [
            ("agents/a.md", true), ("examples/demo/repo/lib/csv.sh", true), ("../a", false), ("/etc/passwd", false),
            ("agents/./a.md", false), ("agents//a.md", false), ("agents/", false), ("", false), ("a/..", false),
        ])
    func safePaths(path: String, safe: Bool) {
        #expect(DemoContent.isSafe(path) == safe)
    }

    @Test("reading refuses a symbolic link, which the embedded copy could not carry")
    func readRefusesSymlinks() throws {
        let examples = DemoSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: examples) }
        for folder in DemoContent.folders {
            try FileManager.default.createDirectory(
                at: examples.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Data("x".utf8).write(to: examples.appendingPathComponent("agents/a.md"))
        try FileManager.default.createSymbolicLink(
            atPath: examples.appendingPathComponent("policies/link.yaml").path, withDestinationPath: "/etc/hostname")
        #expect(
            throws: DemoError.fileSystem(
                path: examples.appendingPathComponent("policies/link.yaml").path,
                reason: "the demo's content holds only regular files and folders")
        ) {
            try DemoContent.read(from: examples)
        }
    }
}
