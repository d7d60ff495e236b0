import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser
import Foundation
import Logging

/// `agentsched sync [--repo OWNER/NAME] [--format text|json]`: one pass over the open pull requests
/// agentsched opened, turning mentions in new reviews and comments into follow-up sessions.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Turn new review comments that mention agentsched into follow-up sessions.",
        discussion: """
            Reads the reviews, review comments and comments newer than the last pass on every open pull request \
            agentsched opened on GitHub. Each author's mentions of github.mention (default @agentsched) on one pull \
            request become one follow-up of its latest session, if the author has write access or above; others \
            get one reply saying why. Each comment is acted on once, even with several sync processes at once. \
            A pass with nothing new costs no rate limit (conditional requests).
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: ArgumentHelp("Only this repository's pull requests.", valueName: "OWNER/NAME"))
    var repo: String?

    @Option(help: "Output format.")
    var format: TextOrJSON = .text

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        try await options.stateDirectory.withLedger { base in
            let ledger = RedactingLedger(base, redactor: Console.installedRedactor)
            let forges = ForgeDirectory(
                workspace: workspace, environment: ProcessInfo.processInfo.environment,
                logger: Logger(label: "agentsched.forge"))
            let report: SyncReport
            do {
                report = try await forges.closing {
                    try await forges.feedbackSync(workspace: workspace, ledger: ledger).pass(repository: repo)
                }
            } catch {
                throw CommandError("sync failed: \(error)")
            }
            format == .json ? Console.exact(try StructuredOutput.json(report)) : Console.write(report.text())
            if !report.failures.isEmpty { throw ExitCode.workFailed }
        }
    }
}
