import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Glibc
import Testing

extension SchedulerEndToEnd {
    /// A ledger that cannot be used makes `run` and `assign` fail loudly: a corrupt file, a disk
    /// that fills mid-run, a ledger deleted mid-run; and an invalid policy edited in mid-run is
    /// reported once while the last valid one stays in force.
    @Suite("the ledger failing is loud")
    struct LedgerFailureTests {
        /// Each session reads the README several times, slowly, so the test can act mid-run.
        static let slowReads = Array(
            repeating: FakeModelStep.toolCalls([("read", #"{"path":"README.md"}"#)]), count: 40)

        @Test("a ledger full of garbage: assign fails instead of reporting queued, and run exits non-zero")
        func corruptLedger() async throws {
            let workspace = try TemporaryWorkspace()
            let first = try await workspace.run(
                "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "t", "--agent", "implementer", "--as",
                "alice")
            #expect(first.status == 0)
            let ledger = workspace.url.appendingPathComponent(".agentsched/ledger.sqlite")
            try Data(repeating: 0x5a, count: 64 * 1024).write(to: ledger)
            let assign = try await workspace.run(
                "assign", "--repo", "acme/webapp", "--issues", "2", "--title", "t", "--agent", "implementer", "--as",
                "alice")
            #expect(assign.status != 0)
            #expect(!assign.stdout.contains("queued"))
            #expect(
                assign.stderr.contains("the ledger at") && assign.stderr.contains("cannot be used"), "\(assign.stderr)")
            let run = try await workspace.run("run", "--until-idle", "--progress", "none")
            #expect(run.status != 0)
            #expect(run.stderr.contains("cannot be used"), "\(run.stderr)")
        }

        @Test(
            "a disk that fills mid-run: run --until-idle returns non-zero and says what stays reserved",
            .enabled(if: Tmpfs.canMount, "mounting a tmpfs needs root (or CAP_SYS_ADMIN); skipped here"))
        func diskFull() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(300)) { server in
                server.setScript(Self.slowReads, for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                let tmpfs = try Tmpfs(size: "4m")
                defer { tmpfs.unmount() }
                let assigned = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "t", "--agent", "implementer",
                    "--state-dir",
                    tmpfs.path)
                #expect(assigned.status == 0, "\(assigned.stderr)")
                let run = try fixture.start(
                    "run", "--until-idle", "--progress", "plain", "--state-dir", tmpfs.path, "--lease-seconds", "3")
                try await Self.waitUntilRunning(ledgerAt: tmpfs.path + "/ledger.sqlite")
                tmpfs.fill()
                let result = try await run.wait()
                #expect(result.status != 0)
                #expect(result.stderr.contains("the ledger could not be used ("), "\(result.stderr)")
                #expect(
                    result.stderr.contains("Session 1 stays reserved") || result.stderr.contains("Nothing it held"),
                    "\(result.stderr)")
            }
        }

        @Test("a ledger deleted mid-run: run exits non-zero, naming the deleted file")
        func deletedLedger() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(300)) { server in
                server.setScript(Self.slowReads, for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "plain")
                let folder = fixture.workspace.url.appendingPathComponent(".agentsched")
                try await Self.waitUntilRunning(ledgerAt: folder.path + "/ledger.sqlite")
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(at: folder.appendingPathComponent("ledger.sqlite" + suffix))
                }
                let result = try await run.wait()
                #expect(result.status != 0)
                #expect(result.stderr.contains("ledger.sqlite was deleted"), "\(result.stderr)")
                #expect(result.stderr.contains("Session 1 stays reserved"), "\(result.stderr)")
            }
        }

        @Test("a policy edited into invalid YAML mid-run is reported once; the last valid policy stays in force")
        func invalidPolicyMidRun() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(100)) { server in
                server.setScript(
                    Array(Self.slowReads.prefix(15)) + [.text("Read the README; nothing to fix.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                try await Self.waitUntilRunning(
                    ledgerAt: fixture.workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path)
                try fixture.workspace.write("policies/acme.yaml", "org: acme\nbudget: [unclosed\n")
                let result = try await run.wait()
                #expect(result.status == 0, "\(result.stderr)")
                let notices = result.stderr.components(
                    separatedBy: "the last valid profiles and policies stay in force")
                #expect(notices.count == 2, "\(result.stderr)")
                #expect(result.stderr.contains("acme.yaml"))
                let sessions = try await fixture.ledger().sessions(in: [])
                #expect(sessions.map(\.state) == [.completed])
            }
        }

        /// Waits until session 1 runs, reading the ledger at `path`.
        static func waitUntilRunning(ledgerAt path: String) async throws {
            let ledger = try SQLiteLedger(path: path)
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try await ledger.sessions(in: [.running]).contains(where: { $0.id == 1 }) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw RunFixture.FixtureTimeout(what: "session 1 running")
        }
    }
}

/// A small tmpfs mounted on a fresh folder, for disk-full tests (needs root).
struct Tmpfs {
    let path: String

    /// Whether this process may mount a tmpfs: tried once on a probe folder.
    static let canMount: Bool = {
        guard let probe = try? Tmpfs(size: "64k") else { return false }
        probe.unmount()
        return true
    }()

    struct MountFailed: Error {}

    init(size: String) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-tmpfs-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // mount(2) itself rather than mount(8): no helper process to wait for.
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size)") == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw MountFailed()
        }
    }

    /// Writes zeros until the file system is full.
    func fill() {
        guard FileManager.default.createFile(atPath: path + "/fill", contents: nil),
            let handle = FileHandle(forWritingAtPath: path + "/fill")
        else { return }
        defer { try? handle.close() }
        let chunk = Data(count: 64 * 1024)
        while (try? handle.write(contentsOf: chunk)) != nil {}
    }

    func unmount() {
        _ = umount2(path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: path)
    }
}
