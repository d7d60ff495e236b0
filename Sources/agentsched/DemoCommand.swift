import AgentScheduler
import ArgumentParser
import Foundation

/// `agentsched demo`: the whole product offline, in a temporary folder, in under a minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the example team on a small repository with real bugs, offline, and report.",
        discussion: """
            Builds a workspace in a new temporary folder from the example team and policies, creates a git \
            repository with failing tests, assigns a batch of issues (one is denied for permissions, one is \
            blocked by the organisation's budget), runs them concurrently on recorded model answers with real \
            tools, and prints the usage report and the branches. It runs from any folder: the team, policies and \
            demo content are built into agentsched. Pass --workspace to build it from other content instead.
            """)

    @Option(
        help: ArgumentHelp(
            "Build from this folder's agents/, policies/ and examples/demo/ (or the nearest folder above holding "
                + "them) instead of the demo built into agentsched.", valueName: "DIR"))
    var workspace: String?

    @Option(help: ArgumentHelp("Where to build the demo (default: a new temporary folder).", valueName: "DIR"))
    var into: String?

    @Option(help: "Sessions run at once.")
    var concurrency = 4

    func validate() throws {
        guard (1...64).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 64, not \(concurrency)")
        }
    }

    func run() async throws {
        var source = DemoSource.embedded
        if let workspace {
            let start = URL(fileURLWithPath: workspace).standardizedFileURL
            guard let examples = DemoWorkspace.findExamples(from: start) else {
                throw CommandError(
                    "no \(DemoWorkspace.contentFolder) in \(start.path) or above; --workspace must name a "
                        + "folder that holds agents/, policies/ and \(DemoWorkspace.contentFolder)/ (leave it out to "
                        + "use the demo built into agentsched)")
            }
            source = .folder(examples)
        }
        let folder =
            into.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "agentsched-demo-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))")
        let started = ContinuousClock.now
        do {
            _ = try await DemoRunner(source: source, folder: folder, concurrency: concurrency) { Console.write($0) }
                .run()
        } catch let error as DemoError {
            throw CommandError("\(error)")
        }
        let elapsed = ContinuousClock.now - started
        Console.output(
            "\nDemo finished in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))); the workspace stays at \(folder.path)"
        )
    }
}
