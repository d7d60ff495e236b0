import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched usage [--org O] [--period YYYY-MM | --since D --until D] [--by DIMENSIONS] [--format F]`.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract:
            "Report premium requests and AI credits spent, grouped by organisation, user, agent, model, repository, day or session.",
        discussion: """
            Reads the workspace's ledger; a workspace with no ledger yet has an empty report. The period is \
            the current month (UTC) unless --period or --since/--until say otherwise; AGENTSCHED_NOW \
            (an ISO 8601 instant) stands in for the clock.
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Only this organisation.")
    var org: String?

    @Option(help: ArgumentHelp("A month (default: the current one).", valueName: "YYYY-MM"))
    var period: String?

    @Option(help: ArgumentHelp("The first day (YYYY-MM-DD) or instant (ISO 8601) of the range.", valueName: "D"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "The last day of the range (inclusive), or the instant it ends; default: now.", valueName: "D"))
    var until: String?

    @Option(
        help: ArgumentHelp(
            "Group by these, in order: org, user, agent, model, repo, day, session (default: org).",
            valueName: "DIMENSIONS"))
    var by: String?

    @Option(help: "Output format.")
    var format: UsageFormat = .table

    func validate() throws {
        do {
            _ = try request(now: ReportClock.clock().now())
        } catch let error as ReportInputError {
            throw ValidationError(error.description)
        }
        if [.githubCSV, .githubCreditsCSV].contains(format), by != nil {
            throw ValidationError(
                "--by does not apply to --format \(format.rawValue), which has one row per day, user and model")
        }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let now = try ReportClock.clock().now()
        var request = try request(now: now)
        if let org {
            request.org = try workspace.requirePolicy(named: org).org
        }
        do {
            try await options.stateDirectory.withExistingLedger { ledger in
                func usage() async throws -> UsageReport {
                    try await UsageReport.load(request, from: ledger, policies: workspace.policies, now: now)
                }
                switch format {
                case .table: Console.output(try await usage().table())
                case .csv: write(try await usage().csv())
                case .json: Console.exact(try await usage().json())
                case .markdown: Console.output(try await usage().markdown())
                case .githubCSV:
                    write(try await GitHubUsageReport.load(request, from: ledger, policies: workspace.policies).csv())
                case .githubCreditsCSV:
                    write(try await GitHubCreditsReport.load(request, from: ledger).csv())
                }
            }
        } catch let error as LedgerError {
            throw CommandError("\(error)")
        }
    }

    private func request(now: Date) throws -> UsageRequest {
        try UsageRequest.parse(org: org, period: period, since: since, until: until, by: by, now: now)
    }

    /// Writes CSV as it is: its records already end in CRLF.
    private func write(_ text: String) {
        Console.write(text)
    }
}
