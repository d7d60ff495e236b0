import AgentSchedulerCore
import AgentSchedulerForges
import Foundation

/// The workspace `agentsched demo` runs in, built offline in a folder from the project's examples:
/// the example team and policies, every model on the `replay` provider, a small git repository
/// with real bugs and failing tests, an issues file, and the assignments to make.
///
/// Build it with `create(examples:at:)`; then assign each of `batches` in order, run the queue,
/// and report usage. The routed batch shows sessions that fix bugs for real; the organisation's
/// budget is lowered so that its last paid session waits in `blocked` (see `budget`); the
/// second batch is denied for permissions.
public struct DemoWorkspace: Sendable {
    /// The repository the demo works on, as policies and the issues file name it.
    public static let repositoryName = "acme/webapp"
    /// The same repository under an organisation billed in AI credits (`policies/initech.yaml`),
    /// where the credits batch runs beside acme's premium requests.
    public static let creditsRepositoryName = "initech/webapp"
    public static let creditsAssigner = "peter"
    /// The issues the credits batch routes: a bug, the docs and the tests.
    public static let creditsIssues = [101, 105, 107]
    /// Where the demo's content lives inside the examples folder.
    public static let contentFolder = "examples/demo"
    /// The user the routed batch is assigned as: `write` in acme/*.
    public static let mainAssigner = "alice"
    /// The user whose assignment is denied: `triage` in acme/*, below the `write` a writing agent needs.
    public static let deniedAssigner = "dave"
    /// The issue `deniedAssigner` gives to `deniedAgent`.
    public static let deniedIssue = 109
    /// A writing agent of the example team.
    public static let deniedAgent = "implementer"
    /// The issue whose pull request gets a reviewer's comment, answered by a follow-up from its
    /// own transcript (`transcripts/implementer/102.follow-up.yaml`).
    public static let reviewedIssue = 102
    /// The agent whose session of `reviewedIssue` is followed up.
    public static let reviewedAgent = "implementer"
    /// That reviewer's comment.
    public static let reviewComment = "@agentsched please also handle an empty input"

    /// The workspace folder (`agents/`, `policies/`, `agentsched.yaml`, `transcripts/`, `repos/`).
    public var root: URL
    /// The demo's git repository, `repos/webapp`, one commit on `main`.
    public var repository: URL
    /// `OWNER/NAME` of `repository`.
    public var repositoryName: String
    /// The commit the repository starts at; the same for every build of the same template.
    public var baseCommit: String
    /// The issues file, `issues.yaml`.
    public var issuesFile: URL
    /// The issues it lists.
    public var issues: IssueList
    /// The replay transcripts every model answers from, `transcripts/`.
    public var transcripts: URL
    /// The assignments to make, in order.
    public var batches: [DemoBatch]
    /// The lowered organisation budget, and the session it blocks.
    public var budget: DemoBudget

    public init(
        root: URL, repository: URL, repositoryName: String, baseCommit: String, issuesFile: URL, issues: IssueList,
        transcripts: URL, batches: [DemoBatch], budget: DemoBudget
    ) {
        self.root = root
        self.repository = repository
        self.repositoryName = repositoryName
        self.baseCommit = baseCommit
        self.issuesFile = issuesFile
        self.issues = issues
        self.transcripts = transcripts
        self.batches = batches
        self.budget = budget
    }

    /// Builds the demo workspace in `folder` (created if missing; it must be empty) from
    /// `examples`, the folder holding `agents/`, `policies/` and `examples/demo/`.
    ///
    /// Checks what it builds: the workspace loads without errors, the routed batch is queued
    /// whole, the denied one is denied, and the budget blocks on the organisation rather than on
    /// a user's or agent's allowance. Throws `DemoError`, saying what to fix.
    public static func create(examples: URL, at folder: URL) async throws -> DemoWorkspace {
        let content = examples.appendingPathComponent(contentFolder)
        for needed in ["agents", "policies", contentFolder + "/repo", contentFolder + "/transcripts"] {
            try requireFolder(examples.appendingPathComponent(needed), named: needed, in: examples)
        }
        try requireFile(
            content.appendingPathComponent("issues.yaml"), named: contentFolder + "/issues.yaml", in: examples)
        try prepareEmptyFolder(folder)

        try copy(examples.appendingPathComponent("agents"), to: folder.appendingPathComponent("agents"))
        try copy(examples.appendingPathComponent("policies"), to: folder.appendingPathComponent("policies"))
        let transcripts = folder.appendingPathComponent("transcripts")
        try copy(content.appendingPathComponent("transcripts"), to: transcripts)
        let issuesFile = folder.appendingPathComponent("issues.yaml")
        try copy(content.appendingPathComponent("issues.yaml"), to: issuesFile)

        let examplesCatalog = try loadCleanly(folder).catalog
        guard let examplesCatalog else { throw DemoError.invalidWorkspace(["the example model catalog is unusable"]) }
        try write(
            replayCatalog(from: examplesCatalog, transcripts: "transcripts"),
            to: folder.appendingPathComponent(WorkspaceLoader.catalogFile))
        try write(
            """
            # Written by `agentsched demo`: assign as alice; the repository is the demo's own.
            user: \(mainAssigner)
            repositories:
              \(repositoryName): { path: repos/webapp }
              \(creditsRepositoryName): { path: repos/webapp }

            """, to: folder.appendingPathComponent(WorkspaceLoader.configurationFile))

        let repository = folder.appendingPathComponent("repos/webapp")
        let baseCommit = try await makeRepository(from: content.appendingPathComponent("repo"), at: repository)

        let issues = try readIssues(issuesFile)
        let batches = plannedBatches(issues: issues)
        var workspace = try loadCleanly(folder)
        let budget = try await planBudget(workspace: workspace, issues: issues, batches: batches)
        try lowerBudget(to: budget, in: folder)
        workspace = try loadCleanly(folder)
        guard workspace.policy(named: budget.org)?.budget.limit == budget.limit.amount else {
            throw DemoError.planFailed("the budget of \(budget.org) did not read back as \(budget.limit)")
        }
        return DemoWorkspace(
            root: folder, repository: repository, repositoryName: repositoryName, baseCommit: baseCommit,
            issuesFile: issuesFile, issues: issues, transcripts: transcripts, batches: batches, budget: budget)
    }

    /// Builds the demo workspace in `folder` from `source`: the content compiled into the binary,
    /// or a folder as `create(examples:at:)` takes it.
    ///
    /// The embedded content is first written to a staging folder under the system's temporary
    /// folder, removed again whatever happens; the checks and errors are those of
    /// `create(examples:at:)`.
    public static func create(from source: DemoSource, at folder: URL) async throws -> DemoWorkspace {
        switch source {
        case .folder(let examples):
            return try await create(examples: examples, at: folder)
        case .embedded:
            let staging = FileManager.default.temporaryDirectory.appendingPathComponent(
                "agentsched-demo-content-\(UUID().uuidString)")
            try DemoContent.embedded.write(to: staging)
            defer { try? FileManager.default.removeItem(at: staging) }
            return try await create(examples: staging, at: folder)
        }
    }

    /// `start` or the nearest folder above it that holds `examples/demo`, or `nil`.
    public static func findExamples(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            var isFolder: ObjCBool = false
            let demo = folder.appendingPathComponent(contentFolder).path
            if FileManager.default.fileExists(atPath: demo, isDirectory: &isFolder), isFolder.boolValue {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The routed batch as alice (every issue but the denied one), then dave's denied assignment.
    static func plannedBatches(issues: IssueList) -> [DemoBatch] {
        [
            DemoBatch(
                assigner: mainAssigner, issues: issues.issues.map(\.number).filter { $0 != deniedIssue },
                target: .route,
                purpose: "\(mainAssigner) (write) routes the issues by label: bugs to the implementer, docs, "
                    + "tests, review, security and a question to their agents"),
            DemoBatch(
                assigner: deniedAssigner, issues: [deniedIssue], target: .agent(deniedAgent),
                purpose: "\(deniedAssigner) (triage) asks the \(deniedAgent), which writes: denied for permissions"),
            DemoBatch(
                assigner: creditsAssigner, repository: creditsRepositoryName, issues: creditsIssues, target: .route,
                purpose: "\(creditsAssigner) routes three issues in \(creditsRepositoryName), whose organisation "
                    + "is billed in AI credits: each request reserves its worst case and pays its tokens"),
        ]
    }

    /// The workspace at `folder`, or `DemoError.invalidWorkspace` listing its errors.
    static func loadCleanly(_ folder: URL) throws -> Workspace {
        let workspace = WorkspaceLoader(root: folder.path).load()
        guard workspace.errors.isEmpty else {
            throw DemoError.invalidWorkspace(workspace.errors.map(\.description))
        }
        return workspace
    }

    static func readIssues(_ file: URL) throws -> IssueList {
        let (list, diagnostics) = IssuesFile.read(path: file.path)
        guard let list else {
            throw DemoError.invalidWorkspace(diagnostics.filter { $0.severity == .error }.map(\.description))
        }
        guard list.repository == nil || list.repository == repositoryName else {
            throw DemoError.planFailed(
                "the issues file is for \(list.repository ?? "?"), the demo's repository is \(repositoryName)")
        }
        return list
    }
}
