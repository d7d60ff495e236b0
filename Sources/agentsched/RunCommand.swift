import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// `agentsched run [--concurrency N] [--until-idle | --watch [--sync-interval 60s]] [--progress auto|plain|none]`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run queued sessions concurrently under every budget, limit and permission.",
        discussion: """
            Several run processes may share one workspace; together they keep every organisation's limits. \
            Ctrl-C (SIGINT) or SIGTERM stops gracefully: running sessions stop at a safe point as interrupted, \
            and the next run resumes them. A run killed outright is resumed by the next one once its lease expires.
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Sessions this process runs at once, at most.")
    var concurrency = 4

    @Flag(help: "Return once nothing queued can be admitted, printing why each remaining session waits.")
    var untilIdle = false

    @Option(help: "auto: a live view on a terminal, else plain; plain: a line per state change; none.")
    var progress: ProgressMode = .auto

    @Flag(help: "Never go idle, and run a sync pass (review comments to follow-ups) every --sync-interval.")
    var watch = false

    @Option(help: ArgumentHelp("How often --watch syncs.", valueName: "DURATION"))
    var syncInterval = Interval(duration: .seconds(60))

    @Option(help: .hidden)
    var leaseSeconds = 30

    func validate() throws {
        guard (1...10_000).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 10000, not \(concurrency)")
        }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
        guard !(watch && untilIdle) else { throw ValidationError("--watch never goes idle; drop --until-idle") }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        guard workspace.catalog != nil else {
            throw CommandError("no model catalog: add \(WorkspaceLoader.catalogFile)")
        }
        let state = try options.stateDirectory
        try await state.withLedger { ledger in
            let assembly = RunAssembly(
                root: options.workspace, workspace: workspace, state: state, ledger: ledger,
                environment: ProcessInfo.processInfo.environment
            ) { Console.error($0) }
            Console.install(assembly.redactor)
            let style: ProgressBoard.Style =
                switch (progress, Console.terminalWidth) {
                case (.none, _): .silent
                case (.plain, _), (.auto, nil): .plain
                case (.auto, let width?): .live(width: width)
                }
            let board = ProgressBoard(style: style, ledger: assembly.ledger, workspaces: assembly.workspaces) {
                Console.write($0)
            }
            let scheduler = assembly.scheduler(
                options: SchedulerOptions(
                    concurrency: concurrency, untilIdle: untilIdle, leaseDuration: .seconds(leaseSeconds)),
                observer: board)
            var services: [any Service] = []
            if watch {
                services.append(
                    await assembly.syncService(interval: syncInterval.duration) { report in
                        await board.observe(.notice("sync: " + report.text().trimmingCharacters(in: .newlines)))
                    })
            }
            if case .live = style {
                services.append(ProgressDisplay(board: board))
            }
            let group = assembly.serviceGroup(
                scheduler: scheduler, services: services, logger: Logger(label: "agentsched.run"))
            do {
                try await group.run()
            } catch {
                throw CommandError("\(error)")
            }
            let summary = try await RunSummary.load(
                ledger: assembly.ledger, touched: await board.touched, workspace: await assembly.workspaces.workspace(),
                alerts: await board.alerts)
            Console.output(summary.text())
        }
    }
}
