import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerForges
import ArgumentParser
import Foundation

/// `agentsched assign --repo OWNER/NAME (--issues 1,2,3 --title T [--body B] | --issues-file F [--label L])
/// (--agent NAME | --route)`.
///
/// An issue needs text to work on: this build reads it from an issues file, so `--issues` alone is
/// refused (it would queue a task that says only "Issue #5", and charge for it); `--title` and
/// `--body` give the text of the issues `--issues` lists.
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

    @Flag(help: "Report what would be queued or denied and what it costs; record nothing.")
    var dryRun = false

    @Option(help: "Output format.")
    var format: TextOrJSON = .text

    func validate() throws {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--repo must be OWNER/NAME, not '\(repo)'")
        }
        guard (issues != nil) != (issuesFile != nil) else {
            throw ValidationError("give either --issues 1,2,3 or --issues-file F")
        }
        if label != nil, issuesFile == nil {
            throw ValidationError(
                "--label picks issues of an issues file (this build does not read issues from GitHub); add --issues-file F"
            )
        }
        if issuesFile != nil, title != nil || body != nil {
            throw ValidationError("--title and --body give the text of --issues; an issues file carries its own")
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
        let fromEnvironment = environment["AGENTSCHED_USER"].flatMap { $0.isEmpty ? nil : $0 }
        guard let user = assigner ?? fromEnvironment ?? workspace.configuration.user else {
            Console.error("error: no assigner: pass --as USER, set AGENTSCHED_USER, or add 'user:' to agentsched.yaml")
            throw ExitCode.workFailed
        }
        var list: [Issue]
        if let issuesFile {
            let (file, diagnostics) = IssuesFile.read(path: issuesFile)
            diagnostics.forEach { Console.error($0.description) }
            guard let file, !diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode.invalidInput }
            if let other = file.repository, other.lowercased() != repo.lowercased() {
                Console.error("error: \(issuesFile) lists issues of \(other), not \(repo)")
                throw ExitCode.invalidInput
            }
            list = file.issues
            if let label {
                list = list.filter { $0.labels.contains { $0.lowercased() == label.lowercased() } }
            }
        } else {
            let numbers = try Self.numbers(issues ?? "")
            guard let title else {
                let which = numbers.map { "#\($0)" }.joined(separator: ", ")
                Console.error(
                    "error: no text for issue \(which) of \(repo): this build reads issue text only from an issues "
                        + "file; give --issues-file F, or --title T (and --body B) with --issues")
                throw ExitCode.invalidInput
            }
            list = numbers.map { Issue(number: $0, title: title, body: body ?? "") }
        }
        let state = options.stateDirectory
        let assigner = Assigner(
            workspace: workspace, ledger: dryRun ? try state.existingLedger() : try state.openLedger())
        let results: [AssignmentResult]
        do {
            results = try await assigner.assign(
                AssignmentRequest(
                    repository: repo, issues: list, target: agent.map { .agent($0) } ?? .route, assigner: user,
                    dryRun: dryRun))
        } catch let error as Assigner.RequestError {
            Console.error("error: \(error)")
            throw ExitCode.workFailed
        }
        format == .json
            ? Console.exact(try StructuredOutput.json(results)) : Console.output(AssignmentResult.text(results))
        if !results.isEmpty, results.allSatisfy(\.isRefusal) {
            throw ExitCode(3)
        }
    }
}
