import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import ArgumentParser
import Foundation
import Logging

/// `agentsched assign --repo OWNER/NAME (--issues 1,2,3 | --label L | --issues-file F [--label L])
/// (--agent NAME | --route)`.
///
/// The issues' text comes from GitHub for a `github: true` repository (`--issues` fetches those
/// issues, `--label` lists the open ones with that label), and from an issues file otherwise. An
/// issue needs text to work on, so `--issues` alone on a local repository is refused (it would queue
/// a task that says only "Issue #5", and charge for it); `--title` and `--body` give the text there.
struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign issues to an agent, or route them by label, checking permissions and policy.",
        discussion: """
            Each issue becomes a queued session, or a denied one with the reason (the assigner's role, the \
            repository's allowed agents, the organisation's models). Exits 3 when every issue was refused.
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Option(help: ArgumentHelp("The repository.", valueName: "OWNER/NAME"))
    var repo: String

    @Option(help: ArgumentHelp("Issue numbers, comma-separated.", valueName: "1,2,3"))
    var issues: String?

    @Option(help: ArgumentHelp("The task's title, for the issues of --issues (each gets it).", valueName: "T"))
    var title: String?

    @Option(help: ArgumentHelp("The task's text, for the issues of --issues.", valueName: "B"))
    var body: String?

    @Option(help: ArgumentHelp("An issues file: YAML, or GitHub REST JSON.", valueName: "F"))
    var issuesFile: String?

    @Option(help: ArgumentHelp("Only the issues of the file with this label.", valueName: "L"))
    var label: String?

    @Option(help: "The agent, by handle or exact name.")
    var agent: String?

    @Flag(help: "Pick the agent by each issue's labels (routing.labels, highest routing.priority first).")
    var route = false

    @Option(name: .customLong("as"), help: "Who assigns (default: $AGENTSCHED_USER, then user: in agentsched.yaml).")
    var assigner: String?

    @Option(help: "Run on this model instead of the agent's own (one the organisation allows).")
    var model: String?

    @Flag(help: "Report what would be queued or denied and what it costs; record nothing.")
    var dryRun = false

    @Option(help: "Output format.")
    var format: TextOrJSON = .text

    func validate() throws {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--repo must be OWNER/NAME, not '\(repo)'")
        }
        guard issues == nil || issuesFile == nil else {
            throw ValidationError("give either --issues 1,2,3 or --issues-file F, not both")
        }
        guard issues == nil || label == nil else {
            throw ValidationError("give either --issues 1,2,3 or --label L, not both")
        }
        guard issues != nil || issuesFile != nil || label != nil else {
            throw ValidationError("say which issues: --issues 1,2,3, --label L, or --issues-file F")
        }
        if title != nil || body != nil, issues == nil {
            throw ValidationError(
                "--title and --body give the text of --issues; issues from a file or GitHub carry their own")
        }
        if let title, title.allSatisfy(\.isWhitespace) {
            throw ValidationError("--title is empty; say what the task is")
        }
        guard (agent != nil) != route else {
            throw ValidationError("give either --agent NAME or --route")
        }
        if let issues {
            _ = try Self.numbers(issues)
        }
    }

    static func numbers(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let number = Int(part.trimmingCharacters(in: .whitespaces)), number > 0 else {
                throw ValidationError("--issues takes positive issue numbers separated by commas, not '\(part)'")
            }
            return number
        }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let environment = ProcessInfo.processInfo.environment
        let user = try workspace.actingUser(assigner)
        let forges = ForgeDirectory(
            workspace: workspace, environment: environment, logger: Logger(label: "agentsched.forge"))
        let state = try options.stateDirectory
        let results: [AssignmentResult]
        var estimate: DryRunEstimate?
        do {
            (results, estimate) = try await forges.closing {
                let list = try await issues(of: workspace, from: forges)
                // Issue text from GitHub may carry a secret (a pasted token): the ledger never gets it.
                let request = AssignmentRequest(
                    repository: repo, issues: list, target: agent.map { .agent($0) } ?? .route, assigner: user,
                    dryRun: dryRun, model: model)
                func assign(_ base: (any Ledger)?) async throws -> ([AssignmentResult], DryRunEstimate?) {
                    let ledger = base.map { RedactingLedger($0, redactor: Console.installedRedactor) }
                    let assigner = Assigner(workspace: workspace, ledger: ledger, permissions: forges.permissions)
                    let results = try await assigner.assign(request)
                    return (results, dryRun ? try await assigner.dryRunEstimate(results, request: request) : nil)
                }
                return try await dryRun
                    ? state.withExistingLedger { try await assign($0) } : state.withLedger { try await assign($0) }
            }
        } catch let error as ForgeError {
            throw CommandError("\(error)")
        } catch let error as Assigner.RequestError {
            throw CommandError("\(error)")
        }
        if format == .json {
            Console.exact(try StructuredOutput.json(results))
        } else {
            Console.output(AssignmentResult.text(results) + (estimate.map { "\n" + $0.text } ?? ""))
        }
        if !results.isEmpty, results.allSatisfy(\.isRefusal) {
            throw ExitCode(3)
        }
    }

    /// The issues this command names: fetched from GitHub for a `github: true` repository, read from
    /// `--issues-file`, or made from `--issues` with `--title` and `--body`.
    private func issues(of workspace: Workspace, from forges: ForgeDirectory) async throws -> [Issue] {
        if let issuesFile {
            let (file, diagnostics) = IssuesFile.read(path: issuesFile)
            diagnostics.forEach { Console.error($0.description) }
            guard let file, !diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode.invalidInput }
            if let other = file.repository, other.lowercased() != repo.lowercased() {
                throw CommandError("\(issuesFile) lists issues of \(other), not \(repo)", exitCode: .invalidInput)
            }
            return file.issues(matching: IssueQuery(label: label))
        }
        let selection: IssueSelection =
            if let label { .label(label) } else {
                .numbers(try issues.map(Self.numbers) ?? [], title: title, body: body)
            }
        do {
            return try await selection.issues(of: repo, from: forges)
        } catch let error as IssueSelection.Unavailable {
            throw CommandError(error.description, exitCode: .invalidInput)
        }
    }
}
