import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerRuntime
import ArgumentParser

/// `agentsched validate [PATH ...] [--strict] [--format text|json]`.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check profiles, policies, the model catalog and agentsched.yaml.",
        discussion: """
            Reports every problem in every file as PATH:LINE:COLUMN: error|warning: MESSAGE. With PATHs, \
            checks those files (or the files below those folders) within the workspace and reports only \
            their problems. Exits 2 when there are errors.
            """
    )

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "Files or folders to check; the whole workspace when none.")
    var paths: [String] = []

    @Flag(help: "Treat warnings (unknown keys, unknown tools, …) as errors.")
    var strict = false

    @Option(help: "Print diagnostics as text on stderr, or as a JSON array on stdout.")
    var format: TextOrJSON = .text

    func run() async throws {
        let workspace = WorkspaceLoader(root: options.workspace, extraFiles: paths).load()
        let report = WorkspaceValidation(
            workspace: workspace, paths: paths, strict: strict,
            machine: SandboxCheck.diagnostics(workspace: workspace, bubblewrap: await Bubblewrap.probe()))
        switch format {
        case .json:
            Console.output(try StructuredOutput.json(report.diagnostics))
        case .text:
            for diagnostic in report.diagnostics {
                Console.error(diagnostic.description)
            }
            Console.output(report.summary)
        }
        if report.failed {
            throw ExitCode.invalidInput
        }
    }
}
