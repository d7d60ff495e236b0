import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import ArgumentParser

/// `agentsched budget [--org O] [--format table|json]`.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Show each organisation's budgets, allowances and agent caps in the current period.",
        discussion: """
            For the organisation, each user with an allowance (named in the policy, or with spend in the \
            period) and each agent with a cap: limit, used, reserved, remaining, percent used or reserved, \
            and when the period resets. AGENTSCHED_NOW (an ISO 8601 instant) stands in for the clock.
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Only this organisation.")
    var org: String?

    @Option(help: "Output format.")
    var format: TableOrJSON = .table

    func validate() throws {
        do {
            _ = try ReportClock.clock()
        } catch let error as ReportInputError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let policies = try workspace.policies(selectedBy: org)
        do {
            let now = try ReportClock.clock().now()
            let report = try await options.stateDirectory.withExistingLedger {
                try await BudgetReport.load(policies: policies, from: $0, now: now)
            }
            format == .json ? Console.exact(try report.json()) : Console.output(report.table())
        } catch let error as LedgerError {
            throw CommandError("\(error)")
        }
    }
}
