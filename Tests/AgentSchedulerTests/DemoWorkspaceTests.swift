import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerRuntime
import Foundation
import Testing

@testable import AgentScheduler

/// A bug the demo repository has, the issue that reports it, and the test groups that catch it.
struct DemoFix: Sendable, CustomTestStringConvertible {
    var issue: Int
    var agent: String
    /// `sh test.sh GROUPS` fails before the fix (for a bug) and passes after it.
    var groups: [String]
    var isBug: Bool

    var testDescription: String { "#\(issue) by \(agent) (\(groups.joined(separator: ", ")))" }

    static let all = [
        DemoFix(issue: 101, agent: "implementer", groups: ["slugify"], isBug: true),
        DemoFix(issue: 102, agent: "implementer", groups: ["mean"], isBug: true),
        DemoFix(issue: 103, agent: "implementer", groups: ["shorten"], isBug: true),
        DemoFix(issue: 104, agent: "implementer", groups: ["csv_field"], isBug: true),
        DemoFix(issue: 107, agent: "test-writer", groups: ["word_count"], isBug: false),
    ]
}

@Suite("The demo workspace: the example team on replay, a repository with real bugs, transcripts that fix them")
struct DemoWorkspaceTests {
    @Test(
        "the demo workspace loads with no errors, every model on replay with the example catalog's multipliers and prices"
    )
    func loadsCleanly() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let workspace = WorkspaceLoader(root: demo.root.path).load()
        #expect(workspace.errors.map(\.description) == [])
        #expect(workspace.team.profiles.count == 7)
        #expect(workspace.configuration.user == "alice")
        #expect(workspace.configuration.repositories["acme/webapp"]?.path == "repos/webapp")

        let examples = try #require(WorkspaceLoader(root: DemoSupport.projectRoot.path).load().catalog)
        let catalog = try #require(workspace.catalog)
        #expect(catalog.defaultModel == examples.defaultModel)
        #expect(catalog.models.map(\.name) == examples.models.map(\.name))
        for (model, original) in zip(catalog.models, examples.models) {
            #expect(model.provider == .replay)
            #expect(model.transcripts == "transcripts")
            #expect(model.multiplier == original.multiplier, "\(model.name)")
            #expect(model.aliases == original.aliases, "\(model.name)")
            #expect(model.pricing == original.pricing, "\(model.name)")
            #expect(model.retired == original.retired && model.replacedBy == original.replacedBy, "\(model.name)")
            #expect(model.framingTokensPerMessage == original.framingTokensPerMessage, "\(model.name)")
        }
        for profile in workspace.team.profiles {
            #expect(catalog.model(named: profile.model)?.provider == .replay, "\(profile.handle)")
        }
        #expect(FileManager.default.fileExists(atPath: demo.transcripts.appendingPathComponent("default.yaml").path))
        #expect(demo.issues.repository == "acme/webapp")
        #expect(demo.issuesFile.path == demo.root.appendingPathComponent("issues.yaml").path)
    }

    @Test("the repository is one reproducible commit whose tests fail on exactly the four bugs")
    func repositoryFailsBefore() async throws {
        let demo = try await DemoSupport.build()
        let again = try await DemoSupport.build()
        defer {
            try? FileManager.default.removeItem(at: demo.root)
            try? FileManager.default.removeItem(at: again.root)
        }
        #expect(demo.baseCommit == again.baseCommit)
        #expect(try await DemoSupport.git(["rev-list", "--count", "HEAD"], in: demo.repository) == "1\n")
        #expect(try await DemoSupport.git(["rev-parse", "HEAD"], in: demo.repository) == demo.baseCommit + "\n")
        #expect(try await DemoSupport.git(["status", "--porcelain"], in: demo.repository) == "")

        let suite = try await DemoSupport.tests(in: demo.repository)
        #expect(suite.status == 1)
        #expect(suite.output.contains("FAILED: csv_field mean shorten slugify\n"))
        for group in ["clamp", "render"] {
            #expect(try await DemoSupport.tests([group], in: demo.repository).status == 0, "\(group)")
        }
        for fix in DemoFix.all where fix.isBug {
            let result = try await DemoSupport.tests(fix.groups, in: demo.repository)
            #expect(result.status == 1, "\(fix.groups)")
            #expect(result.output.contains("FAIL "), "\(fix.groups)")
        }
    }

    @Test("alice's routed batch queues every issue with its agent; dave's assignment is denied for permissions")
    func batches() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let workspace = WorkspaceLoader(root: demo.root.path).load()
        let assigner = Assigner(workspace: workspace, ledger: nil)
        #expect(demo.batches.map(\.assigner) == ["alice", "dave", "peter"])
        #expect(demo.batches.map(\.repository) == ["acme/webapp", "acme/webapp", "initech/webapp"])

        let routed = try await assigner.assign(
            try demo.batches[0].request(issues: demo.issues, dryRun: true))
        #expect(demo.batches[0].route)
        #expect(routed.allSatisfy { $0.status == .queued })
        let agents = Dictionary(uniqueKeysWithValues: routed.map { ($0.issue, $0.agent ?? "-") })
        #expect(
            agents == [
                101: "implementer", 102: "implementer", 103: "implementer", 104: "implementer", 105: "docs-writer",
                106: "security-auditor", 107: "test-writer", 108: "reviewer", 110: "triager",
            ])

        #expect(demo.batches[1].agent == "implementer")
        let denied = try await assigner.assign(
            try demo.batches[1].request(issues: demo.issues, dryRun: true))
        #expect(denied.map(\.status) == [.denied])
        #expect(denied.first?.reason?.contains("dave's role in acme/webapp is triage") == true)

        // Beside acme's premium requests, initech is billed in AI credits, priced per token.
        let credits = try await assigner.assign(try demo.batches[2].request(issues: demo.issues, dryRun: true))
        #expect(credits.map(\.status) == [.queued, .queued, .queued])
        #expect(credits.map(\.agent) == ["implementer", "docs-writer", "test-writer"])
        #expect(credits.allSatisfy { $0.cost?.hasPrefix("AI credits per token") == true })
        #expect(credits.allSatisfy { $0.estimate?.unit == .aiCredits })
        #expect(workspace.policy(named: "initech")?.billing == .aiCredits)
    }

    @Test("the lowered budget admits every session of the batch but #104, which is blocked by the org budget alone")
    func budgetBlocksLastPaidSession() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let workspace = WorkspaceLoader(root: demo.root.path).load()
        let policy = try #require(workspace.policy(named: "acme"))
        let catalog = try #require(workspace.catalog)
        #expect(demo.budget.org == "acme")
        #expect(policy.budget.limit?.premiumRequests == demo.budget.limit)
        #expect(demo.budget.limit + demo.budget.blockedCost == demo.budget.batchCost)
        #expect(demo.budget.blockedIssue == 104 && demo.budget.blockedAgent == "implementer")
        let policyText = try String(
            contentsOf: demo.root.appendingPathComponent(demo.budget.policyFile), encoding: .utf8)
        #expect(policyText.hasPrefix("# Acme: a mid-sized team"))
        #expect(
            policyText.contains(
                "premium-requests: \(demo.budget.limit)   # agentsched demo (was "))

        // Admit the batch as the scheduler does: highest priority first, then oldest, 1 × multiplier each.
        let state = demo.root.appendingPathComponent(".agentsched")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let ledger = try SQLiteLedger(path: state.appendingPathComponent("ledger.sqlite").path)
        let routed = try await Assigner(workspace: workspace, ledger: ledger).assign(
            try demo.batches[0].request(issues: demo.issues))
        let clock = SystemWallClock()
        try await ledger.registerWorker(
            WorkerLease(id: "w", pid: 1, host: "test", expiresAt: clock.now() + 600), at: clock.now())
        let engine = BudgetEngine(ledger: ledger, catalog: catalog, clock: clock, worker: "w")
        let sessions = try await ledger.sessions(in: [.queued]).sorted { ($1.priority, $0.id) < ($0.priority, $1.id) }
        #expect(sessions.count == routed.count)
        var blocked: [(issue: Int, scope: BudgetScope.Kind)] = []
        for session in sessions {
            let profile = try #require(workspace.team.profile(named: session.agent))
            let decision = try await engine.reserve(
                Spend(
                    policy: policy, session: session.id, user: session.assigner, agent: session.agent,
                    repository: session.repository, model: session.model, kind: .session,
                    sessionLimit: profile.limits.maxPremiumRequests?.amount))
            switch decision {
            case .reserved(let reservation): try await engine.commit(reservation, policy: policy)
            case .blocked(let denial): blocked.append((session.issue, denial.exhaustion.scope.kind))
            }
        }
        #expect(blocked.map(\.issue) == [104])
        #expect(blocked.map(\.scope) == [.org])
    }

    @Test(
        "each fixing transcript, replayed through the real tools, commits a fix whose tests pass",
        arguments: DemoFix.all)
    func fixingTranscript(_ fix: DemoFix) async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let run = try await DemoSupport.runSession(demo, agent: fix.agent, issue: fix.issue, session: "1")
        guard case .completed(let summary) = run.output.outcome else {
            Issue.record("the session ended \(run.output.outcome)")
            return
        }
        #expect(!summary.isEmpty)
        #expect(run.output.finishingError == nil)
        #expect(run.refusals == [])
        #expect(
            run.toolResults.filter { !$0.hasPrefix("execute") }.allSatisfy { $0.hasSuffix(" ok") }, "\(run.toolResults)"
        )
        #expect(run.toolResults.contains("edit ok"))
        #expect(run.toolResults.last(where: { $0.hasPrefix("execute") }) != nil)

        let commit = try #require(run.output.commit)
        #expect(try await DemoSupport.git(["rev-parse", run.output.branch], in: demo.repository) == commit + "\n")
        #expect(
            try await DemoSupport.git(["show", "-s", "--format=%an", commit], in: demo.repository) == fix.agent + "\n")
        let checkout = try await DemoSupport.checkout(commit, of: demo.repository)
        defer { try? FileManager.default.removeItem(at: checkout) }
        let after = try await DemoSupport.tests(fix.groups, in: checkout)
        #expect(after.status == 0, "\(after.output)")
        #expect(!after.output.contains("FAIL"))
        if fix.isBug {
            // The fix is the only change: every other bug still fails, no passing group broke.
            let suite = try await DemoSupport.tests(in: checkout)
            let failing = ["csv_field", "mean", "shorten", "slugify"].filter { !fix.groups.contains($0) }
            #expect(suite.output.contains("FAILED: " + failing.joined(separator: " ") + "\n"), "\(suite.output)")
        }
    }

    @Test(
        "the docs-writer's transcript adds word_count and render to the README and a changelog entry through MCP, and changes no code"
    )
    func docsTranscript() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let run = try await DemoSupport.runSession(demo, agent: "docs-writer", issue: 105, session: "1")
        guard case .completed = run.output.outcome else {
            Issue.record("the session ended \(run.output.outcome)")
            return
        }
        #expect(run.refusals == [])
        #expect(run.toolResults.allSatisfy { $0.hasSuffix(" ok") }, "\(run.toolResults)")
        let commit = try #require(run.output.commit)
        #expect(
            try await DemoSupport.git(["diff", "--name-only", demo.baseCommit, commit], in: demo.repository)
                == "CHANGELOG.md\nREADME.md\n")
        let readme = try await DemoSupport.git(["show", "\(commit):README.md"], in: demo.repository)
        #expect(readme.contains("| `word_count TEXT` | `lib/text.sh` |"))
        #expect(readme.contains("| `render TEMPLATE` | `lib/template.sh` |"))
        let check = run.events.compactMap { event -> String? in
            guard case .toolFinished(_, _, "execute", _, let output) = event else { return nil }
            return output
        }
        #expect(check.first?.contains("missing from README.md: word_count") == true)
        #expect(check.last?.hasPrefix("checked\n") == true, "\(check.last ?? "")")
    }

    @Test(
        "read-only transcripts only read and search, and report without a commit",
        arguments: [(106, "security-auditor"), (108, "reviewer"), (110, "triager")])
    func readOnlyTranscript(issue: Int, agent: String) async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let run = try await DemoSupport.runSession(demo, agent: agent, issue: issue, session: "1")
        guard case .completed(let summary) = run.output.outcome else {
            Issue.record("the session ended \(run.output.outcome)")
            return
        }
        #expect(summary.count > 200)
        #expect(run.refusals == [])
        #expect(!run.toolResults.isEmpty)
        #expect(run.toolResults.allSatisfy { $0 == "read ok" || $0 == "search ok" }, "\(run.toolResults)")
        #expect(run.output.commit == nil && run.output.finishingError == nil)
        #expect(try await DemoSupport.git(["worktree", "list"], in: demo.repository).split(separator: "\n").count == 1)
    }

    @Test("merging every fixing session's branch makes the whole suite pass")
    func allFixesPass() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        var branches: [String] = []
        for (index, fix) in (DemoFix.all + [DemoFix(issue: 105, agent: "docs-writer", groups: [], isBug: false)])
            .enumerated()
        {
            let run = try await DemoSupport.runSession(
                demo, agent: fix.agent, issue: fix.issue, session: "\(index + 1)")
            #expect(run.output.commit != nil, "\(fix.testDescription)")
            branches.append(run.output.branch)
        }
        let checkout = try await DemoSupport.checkout(demo.baseCommit, of: demo.repository)
        defer { try? FileManager.default.removeItem(at: checkout) }
        for branch in branches {
            try await DemoSupport.git(["merge", "--quiet", "--no-edit", branch], in: checkout)
        }
        let suite = try await DemoSupport.tests(in: checkout)
        #expect(suite.status == 0, "\(suite.output)")
        #expect(
            suite.output.hasSuffix("OK: every test passed (clamp csv_field mean render shorten slugify word_count)\n"))
        #expect(!suite.output.contains("FAIL"))
    }

    @Test("a missing examples folder and a folder that is not empty are errors that say what to do")
    func errors() async throws {
        let empty = DemoSupport.temporaryFolder()
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        do {
            _ = try await DemoWorkspace.create(examples: empty, at: DemoSupport.temporaryFolder())
            Issue.record("built a demo from an empty folder")
        } catch let error as DemoError {
            #expect(
                error.description
                    == "agents/ not found under \(empty.path); --workspace must name a folder that holds agents/, "
                    + "policies/ and examples/demo/ (leave it out to use the demo built into agentsched)")
        }
        try Data("x".utf8).write(to: empty.appendingPathComponent("file"))
        await #expect(throws: DemoError.folderNotEmpty(empty.path)) {
            try await DemoWorkspace.create(examples: DemoSupport.projectRoot, at: empty)
        }
        #expect(
            DemoWorkspace.findExamples(from: DemoSupport.projectRoot.appendingPathComponent("Sources/AgentScheduler"))?
                .path == DemoSupport.projectRoot.standardizedFileURL.path)
    }
}
