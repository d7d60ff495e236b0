import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

@testable import AgentScheduler

@Suite("LocalForge: issues from a file, roles from the policy, pull requests and comments in the ledger")
struct LocalForgeTests {
    static func withForge(
        issues: IssueList = IssueList(issues: []), _ body: (LocalForge, SQLiteLedger) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("local-forge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path)
        let forge = LocalForge(
            issueList: issues,
            repositories: [
                "acme/webapp": ForgeRepository(name: "acme/webapp", defaultBranch: "main", cloneURL: "/src/webapp")
            ],
            roles: { user, _ in user == "alice" ? .write : nil }, records: LedgerLocalRecords(ledger: ledger))
        try await body(forge, ledger)
    }

    @Test("pull requests are numbered per repository, one open per head, found by head, with local URLs")
    func pullRequests() async throws {
        try await Self.withForge { forge, ledger in
            let request = NewPullRequest(
                repository: "acme/webapp", head: "agentsched/1-implementer-1", base: "main", title: "#1: Fix",
                body: "Fixes #1")
            let opened = try await forge.openPullRequest(request)
            #expect(opened.number == 1)
            #expect(opened.url == "local:acme/webapp#1")
            #expect(opened.draft)
            var other = request
            other.head = "agentsched/2-implementer-2"
            #expect(try await forge.openPullRequest(other).number == 2)
            await #expect(throws: ForgeError.self) { _ = try await forge.openPullRequest(request) }
            #expect(try await forge.pullRequest(head: request.head, in: "acme/webapp") == opened)
            #expect(try await forge.pullRequest(head: "nope", in: "acme/webapp") == nil)
            #expect(try await ledger.pullRequest(repository: "acme/webapp", number: 1)?.isLocal == true)
        }
    }

    @Test("comments come back as feedback once, after the cursor, with their authors")
    func commentsAreFeedback() async throws {
        try await Self.withForge { forge, ledger in
            try await ledger.addLocalComment(
                repository: "acme/webapp", number: 1, author: "carol", body: "@agentsched more tests", at: Date())
            try await forge.comment(on: 1, in: "acme/webapp", body: "On it.")
            let first = try await forge.feedback(on: 1, in: "acme/webapp", after: nil)
            #expect(first.comments.map(\.author) == ["carol", LocalForge.login])
            #expect(first.comments.allSatisfy { $0.kind == .issueComment })
            let again = try await forge.feedback(on: 1, in: "acme/webapp", after: first.cursor)
            #expect(again.comments.isEmpty)
            #expect(try await forge.currentUser() == LocalForge.login)
        }
    }

    @Test("issues come from the file, by label or number; roles and the repository from the configuration")
    func issuesRolesAndRepository() async throws {
        let list = IssueList(
            repository: "acme/webapp",
            issues: [
                Issue(number: 1, title: "Crash", labels: ["Bug"]), Issue(number: 2, title: "Docs", labels: ["docs"]),
            ])
        try await Self.withForge(issues: list) { forge, _ in
            let bugs = try await forge.issues(in: "acme/webapp", matching: IssueQuery(label: "bug"))
            #expect(bugs.map(\.number) == [1])
            #expect(try await forge.issue(2, in: "acme/webapp").title == "Docs")
            await #expect(throws: ForgeError.self) { _ = try await forge.issue(3, in: "acme/webapp") }
            await #expect(throws: ForgeError.self) {
                _ = try await forge.issues(in: "acme/api", matching: IssueQuery())
            }
            #expect(try await forge.permission(of: "alice", in: "acme/webapp") == .write)
            #expect(try await forge.permission(of: "mallory", in: "acme/webapp") == nil)
            #expect(try await forge.repository("ACME/webapp").defaultBranch == "main")
            await #expect(throws: ForgeError.self) { _ = try await forge.repository("acme/api") }
        }
    }
}
