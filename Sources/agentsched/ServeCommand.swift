import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerServer
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// `agentsched serve [--host 127.0.0.1] [--port 8420] [--token-env NAME] [--run]`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Agents page, the HTTP API (/api/v1) and GitHub's webhook.",
        discussion: """
            The page and the API show every session of the workspace, whichever run process works on it, live. \
            Only a loopback address is served without a token; any other needs --token-env, and then every request \
            needs Authorization: Bearer TOKEN or the page's sign-in. With --run this process also runs sessions, \
            as agentsched run --watch would; Ctrl-C or SIGTERM stops both gracefully.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 8420

    @Option(help: ArgumentHelp("The variable holding the token requests must carry.", valueName: "NAME"))
    var tokenEnv: String?

    @Flag(help: "Also run queued sessions in this process (as agentsched run --watch).")
    var run = false

    @Option(help: "With --run: sessions this process runs at once, at most.")
    var concurrency = 4

    @Option(help: .hidden)
    var leaseSeconds = 30

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard tokenEnv != nil || ServerAccess.isLoopback(address: host) else {
            throw ValidationError(
                "\(host) is not a loopback address: serving it needs --token-env NAME, the variable holding the token "
                    + "every request must carry")
        }
        guard (1...10_000).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 10000, not \(concurrency)")
        }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let environment = ProcessInfo.processInfo.environment
        var token: String?
        if let tokenEnv {
            guard let value = environment[tokenEnv], !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CommandError("--token-env \(tokenEnv): the variable is not set, so there is no token to require")
            }
            token = value
        }
        if run, workspace.catalog == nil {
            throw CommandError("no model catalog: add \(WorkspaceLoader.catalogFile), or serve without --run")
        }
        let state = try options.stateDirectory
        try await state.withLedger { ledger in
            let assembly = RunAssembly(
                root: options.workspace, workspace: workspace, state: state, ledger: ledger,
                environment: environment,
                secrets: token.map { [$0] } ?? []
            ) { Console.error($0) }
            Console.install(assembly.redactor)
            let feed = EventFeed(ledger: assembly.ledger)
            let host = host
            let server = AgentsServer(
                configuration: ServerConfiguration(host: host, port: port, token: token),
                resources: ServerResources(assembly: assembly, environment: environment, feed: feed)
            ) { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                Console.output(
                    "serving http://\(shown):\(port)/" + (tokenEnv.map { " (requests need the token in $\($0))" } ?? "")
                )
            }
            var scheduler: Scheduler?
            var services: [any Service] = [server, feed]
            if run {
                let board = ProgressBoard(style: .plain, ledger: assembly.ledger, workspaces: assembly.workspaces) {
                    Console.write($0)
                }
                scheduler = assembly.scheduler(
                    options: SchedulerOptions(
                        concurrency: concurrency, untilIdle: false, leaseDuration: .seconds(leaseSeconds)),
                    observer: board)
                services.insert(
                    await assembly.syncService(interval: .seconds(60)) { report in
                        await board.observe(.notice("sync: " + report.text().trimmingCharacters(in: .newlines)))
                    }, at: 0)
            }
            do {
                try await assembly.serviceGroup(
                    scheduler: scheduler, services: services, logger: Logger(label: "agentsched.serve")
                ).run()
            } catch {
                throw CommandError("\(error)")
            }
        }
    }
}
