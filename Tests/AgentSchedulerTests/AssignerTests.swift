import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

@testable import AgentScheduler

/// Swift Testing has an `Issue` of its own.
typealias ForgeIssue = AgentSchedulerForges.Issue

@Suite("Assigning issues: agents, routing, permissions, policy")
struct AssignerTests {
    /// The example team and policies, plus an organisation that allows only gpt-4.1.
    static func workspace() throws -> (Workspace, SQLiteLedger, URL) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["agents", "policies"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try """
        org: initech
        repositories:
          - match: "initech/*"
            roles: { alice: admin }
            agents: ["*"]
        models:
          allow: [gpt-4.1]

        """.write(to: folder.appendingPathComponent("policies/initech.yaml"), atomically: true, encoding: .utf8)
        let workspace = WorkspaceLoader(root: folder.path).load()
        #expect(workspace.errors == [])
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent(".agentsched/ledger.sqlite").path)
        return (workspace, ledger, folder)
    }

    static func assign(
        _ issues: [ForgeIssue], to target: AssignmentRequest.Target, as user: String,
        in repository: String = "acme/webapp",
        dryRun: Bool = false
    ) async throws -> (results: [AssignmentResult], sessions: [SessionRecord]) {
        let (workspace, ledger, folder) = try workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = try await Assigner(workspace: workspace, ledger: ledger).assign(
            AssignmentRequest(repository: repository, issues: issues, target: target, assigner: user, dryRun: dryRun))
        return (results, try await ledger.sessions(in: []))
    }

    @Test(
        "each check denies with its one-line reason, recorded as a denied session",
        arguments: [
            (
                "bob", "implementer", "acme/webapp",
                "bob's role in acme/webapp is read; agent implementer (write) needs write or above"
            ),
            ("mallory", "reviewer", "acme/webapp", "mallory has no role in acme/webapp (policy acme); read is needed"),
            (
                "carol", "implementer", "acme/infra-terraform",
                "agent implementer is not allowed in acme/infra-terraform (allowed: planner, reviewer, security-auditor, triager)"
            ),
            (
                "alice", "implementer", "umbrella/app",
                "no organisation policy has a repository rule matching umbrella/app"
            ),
            (
                "alice", "planner", "initech/app",
                "none of agent planner's models (claude-sonnet-4.5) is allowed in initech"
            ),
        ])
    func denials(user: String, agent: String, repository: String, reason: String) async throws {
        let (results, sessions) = try await Self.assign(
            [ForgeIssue(number: 7, title: "Fix it")], to: .agent(agent), as: user, in: repository)
        #expect(results.map(\.status) == [.denied])
        #expect(results.first?.reason == reason)
        #expect(sessions.map(\.state) == [.denied])
        #expect(sessions.first?.reason == reason)
        #expect(sessions.first?.id == results.first?.session)
    }

    @Test("an allowed assignment queues a session on the first allowed model, with its cost")
    func queued() async throws {
        let (results, sessions) = try await Self.assign(
            [ForgeIssue(number: 12, title: "Crash on empty input")], to: .agent("implementer"), as: "alice")
        #expect(
            results == [
                AssignmentResult(
                    issue: 12, status: .queued, agent: "implementer", model: "claude-sonnet-4.5",
                    session: sessions[0].id,
                    cost: "1 premium request")
            ])
        #expect(sessions.map(\.state) == [.queued])
        #expect(sessions[0].title == "Crash on empty input" && sessions[0].assigner == "alice")
    }

    @Test(
        "read suffices for a read-only agent; a model later in the profile's list is used when the first is not allowed"
    )
    func readOnlyAndFallbackModel() async throws {
        let reviewer = try await Self.assign([ForgeIssue(number: 1)], to: .agent("reviewer"), as: "bob")
        #expect(reviewer.results.map(\.status) == [.queued])
        let auditor = try await Self.assign(
            [ForgeIssue(number: 2)], to: .agent("security-auditor"), as: "grace", in: "globex/payments")
        #expect(auditor.results.first?.model == "claude-sonnet-4.5")
    }

    @Test(
        "--route picks by labels, highest priority first; an issue no agent matches is reported, not dropped",
        arguments: [
            (["tests"], "test-writer"), (["bug", "security"], "security-auditor"), (["Documentation"], "docs-writer"),
        ])
    func routing(labels: [String], expected: String) async throws {
        let (results, _) = try await Self.assign([ForgeIssue(number: 3, labels: labels)], to: .route, as: "carol")
        #expect(results.first?.agent == expected)
    }

    @Test("an unrouted issue is reported with its labels and records nothing")
    func unrouted() async throws {
        let (results, sessions) = try await Self.assign(
            [ForgeIssue(number: 4, labels: ["wontfix"])], to: .route, as: "alice")
        #expect(
            results == [
                AssignmentResult(
                    issue: 4, status: .unrouted, reason: "no agent's routing.labels match the issue's labels wontfix")
            ])
        #expect(sessions.isEmpty)
    }

    @Test("assigning the same issue to the same agent again while queued does nothing and says so")
    func duplicates() async throws {
        let (workspace, ledger, folder) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let assigner = Assigner(workspace: workspace, ledger: ledger)
        let request = AssignmentRequest(
            repository: "acme/webapp", issues: [ForgeIssue(number: 5)], target: .agent("implementer"), assigner: "alice"
        )
        let first = try await assigner.assign(request)
        let second = try await assigner.assign(request)
        #expect(second.map(\.status) == [.duplicate])
        #expect(second.first?.reason == "already queued as session \(first[0].session!); nothing added")
        #expect(try await ledger.sessions(in: []).count == 1)
    }

    @Test("a dry run reports queued and denied issues with their costs and records nothing")
    func dryRun() async throws {
        let (results, sessions) = try await Self.assign(
            [ForgeIssue(number: 8)], to: .agent("implementer"), as: "bob", dryRun: true)
        #expect(results.map(\.status) == [.denied])
        #expect(results.allSatisfy { $0.dryRun && $0.session == nil })
        #expect(sessions.isEmpty)
        let text = AssignmentResult.text(results)
        #expect(text.hasSuffix("dry run, nothing recorded: 1 denied"))
    }

    @Test("an unknown agent is refused before anything, with a suggestion")
    func unknownAgent() async throws {
        await #expect(
            throws: Assigner.RequestError.unknownAgent("implementor", suggestion: "did you mean 'implementer'?")
        ) {
            _ = try await Self.assign([ForgeIssue(number: 1)], to: .agent("implementor"), as: "alice")
        }
    }
}
