import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation
import Logging

/// `agentsched demo`: builds the demo workspace in `folder`, assigns its batches, runs them
/// concurrently on the replay model with real tools, then reports usage and where the branches are.
///
/// Everything printed goes through `write`, as it happens.
public struct DemoRunner: Sendable {
    /// Where the team, policies and `examples/demo/` come from: the binary's own copy, or a folder.
    public var source: DemoSource
    /// An empty or missing folder for the demo's workspace.
    public var folder: URL
    public var concurrency: Int
    public var write: @Sendable (String) -> Void

    public init(
        source: DemoSource = .embedded, folder: URL, concurrency: Int = 4, write: @escaping @Sendable (String) -> Void
    ) {
        self.source = source
        self.folder = folder
        self.concurrency = concurrency
        self.write = write
    }

    /// The demo built from `examples`, the folder holding `agents/`, `policies/` and `examples/demo/`.
    public init(examples: URL, folder: URL, concurrency: Int = 4, write: @escaping @Sendable (String) -> Void) {
        self.init(source: .folder(examples), folder: folder, concurrency: concurrency, write: write)
    }

    /// What the demo did, for checking.
    public struct Outcome: Sendable {
        public var demo: DemoWorkspace
        public var sessions: [SessionSummary]
    }

    public func run() async throws -> Outcome {
        let demo = try await DemoWorkspace.create(from: source, at: folder)
        section("Workspace")
        write("Built \(demo.root.path) from the example team and policies of \(source.description):\n")
        write("  agents/ and policies/ copied; every model answers from recorded transcripts (replay), offline\n")
        write("  repository \(demo.repositoryName): \(demo.repository.path), a small sh library with failing tests\n")
        write("  \(demo.budget.explanation)\n")

        let workspace = WorkspaceLoader(root: demo.root.path).load()
        guard workspace.errors.isEmpty else {
            throw DemoError.invalidWorkspace(workspace.errors.map(\.description))
        }
        let state = StateDirectory(workspace: demo.root.path, explicit: nil, environment: [:])
        return try await state.withLedger(environment: [:]) { ledger in

            let assigner = Assigner(workspace: workspace, ledger: ledger)
            for batch in demo.batches {
                section("assign — \(batch.purpose)")
                let command =
                    "agentsched assign --repo \(batch.repository) --issues \(batch.issues.map(String.init).joined(separator: ",")) "
                    + (batch.agent.map { "--agent \($0)" } ?? "--route") + " --as \(batch.assigner)"
                write("$ \(command)\n")
                let results = try await assigner.assign(
                    try batch.request(issues: demo.issues))
                write(AssignmentResult.text(results) + "\n")
            }

            section("run --until-idle --concurrency \(concurrency)")
            try await runUntilIdle(demo: demo, state: state, ledger: ledger)

            try await reviewRound(demo: demo, state: state, ledger: ledger)

            section("usage --by org,user,agent,model")
            let request = try UsageRequest.parse(
                org: nil, period: nil, since: nil, until: nil, by: "org,user,agent,model", now: Date())
            write(
                try await UsageReport.load(request, from: ledger, policies: workspace.policies, now: Date()).table()
                    + "\n")

            section("budget")
            // Read again: the review round raised acme's budget.
            let policies = try DemoWorkspace.loadCleanly(demo.root).policies
            write(try await BudgetReport.load(policies: policies, from: ledger, now: Date()).table() + "\n")

            section("Branches")
            let all = try await SessionSummary.load(from: ledger)
            for summary in all {
                let session = summary.session
                guard let branch = session.outputs.branch, session.outputs.commit != nil else { continue }
                write("  session \(session.id) #\(session.issue) \(session.agent): \(branch)\n")
            }
            write("Inspect them with: git -C \(demo.repository.path) log --oneline --all --graph\n")
            write("Session logs: agentsched sessions logs ID --workspace \(demo.root.path)\n")
            return Outcome(demo: demo, sessions: all)
        }
    }

    /// One `run --until-idle` of the demo's queue, on the workspace as it is on disk now.
    private func runUntilIdle(demo: DemoWorkspace, state: StateDirectory, ledger: any Ledger) async throws {
        let workspace = try DemoWorkspace.loadCleanly(demo.root)
        // The demo is offline: no API key or token, and its repository is local, so no forge is asked.
        let assembly = RunAssembly(
            root: demo.root.path, workspace: workspace, state: state, ledger: ledger, environment: [:])
        let board = ProgressBoard(style: .plain, ledger: assembly.ledger, workspaces: assembly.workspaces, write: write)
        let scheduler = assembly.scheduler(
            options: SchedulerOptions(concurrency: concurrency, untilIdle: true), observer: board)
        try await assembly.serviceGroup(scheduler: scheduler, signals: [], logger: Logger(label: "agentsched.demo"))
            .run()
        let summary = try await RunSummary.load(
            ledger: ledger, touched: await board.touched, workspace: workspace, alerts: await board.alerts)
        write(summary.text() + "\n")
    }

    /// The review loop, offline: the local pull requests, a reviewer's comment on #102's answered by
    /// a follow-up on the same branch, and a budget raised for it (which also frees the blocked session).
    private func reviewRound(demo: DemoWorkspace, state: StateDirectory, ledger: any Ledger) async throws {
        section("Pull requests (local, recorded in the ledger)")
        let pulls = try await ledger.pullRequests(repository: demo.repositoryName, openOnly: true)
        for pull in pulls {
            write("  #\(pull.number) \(pull.head) → \(pull.base): \(pull.title)\n")
        }
        let sessions = try await ledger.sessions(in: [.completed])
        guard
            let fixed = sessions.first(where: {
                $0.issue == DemoWorkspace.reviewedIssue && $0.agent == DemoWorkspace.reviewedAgent
            })
        else {
            throw DemoError.planFailed("#\(DemoWorkspace.reviewedIssue) did not complete, so it cannot be reviewed")
        }
        let workspace = try DemoWorkspace.loadCleanly(demo.root)
        section("sessions follow-up \(fixed.id) \"\(DemoWorkspace.reviewComment)\" --as \(DemoWorkspace.mainAssigner)")
        let followUps = FollowUps(
            workspace: workspace, ledger: ledger,
            permissions: ForgeDirectory(
                workspace: workspace, environment: [:], logger: Logger(label: "agentsched.demo")
            ).permissions)
        guard
            let followUp = try await followUps.create(
                following: fixed.id, feedback: DemoWorkspace.reviewComment, by: DemoWorkspace.mainAssigner)
        else { throw DemoError.planFailed("the follow-up of session \(fixed.id) was not queued") }
        write(
            "session \(followUp.id) queued to follow up session \(fixed.id), on \(fixed.outputs.branch ?? "its branch")\n"
        )

        let raised = demo.budget.limit + demo.budget.blockedCost + demo.budget.followUpCost
        section("\(demo.budget.policyFile): the review round raises \(demo.budget.org)'s budget to \(raised)")
        try DemoWorkspace.setBudget(
            raised, in: demo.root, policyFile: demo.budget.policyFile,
            note: "raised for the review round: #\(demo.budget.blockedIssue) and the follow-up can run")
        write("  the blocked #\(demo.budget.blockedIssue) and the follow-up now fit in it\n")

        section("run --until-idle --concurrency \(concurrency) (the review round)")
        try await runUntilIdle(demo: demo, state: state, ledger: ledger)

        section("sessions show \(followUp.id)")
        if let summary = try await SessionSummary.load(from: ledger).first(where: { $0.session.id == followUp.id }) {
            write(summary.details(now: Date()) + "\n")
        }
    }

    private func section(_ title: String) {
        write("\n== \(title) ==\n")
    }
}
