import AgentScheduler
import AgentSchedulerCore
import ArgumentParser
import Foundation

/// `--workspace DIR`, shared by every command.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace folder.", valueName: "DIR"))
    var workspace: String = "."

    /// `--state-dir`, not DESIGN §2's `--state`: `sessions list --state S` filters by session state.
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Where the ledger and worktrees live (default: WORKSPACE/.agentsched, or $AGENTSCHED_STATE).",
            valueName: "DIR"))
    var stateDir: String?

    @Option(
        name: .customLong("ledger-url-env"),
        help: ArgumentHelp(
            "The environment variable holding a PostgreSQL URL to keep the ledger in (default: agentsched.yaml's "
                + "ledger.url-env, else SQLite in the state folder).", valueName: "NAME"))
    var ledgerURLEnv: String?

    /// The workspace options of a parsed command, if it has them (`@OptionGroup var options`).
    static func of(_ command: any ParsableCommand) -> WorkspaceOptions? {
        Mirror(reflecting: command).children.lazy.compactMap {
            ($0.value as? OptionGroup<WorkspaceOptions>)?.wrappedValue
        }
        .first
    }

    /// The state folder these options name, with the ledger `--ledger-url-env` or the workspace's
    /// `ledger.url-env` names.
    ///
    /// An `agentsched.yaml` with errors stops the command (its diagnostics printed, exit 2) rather
    /// than leave the ledger's place to a guess: a worker that fell back to a SQLite file would
    /// spend outside the shared budget.
    var stateDirectory: StateDirectory {
        get throws {
            var variable = ledgerURLEnv
            if variable == nil {
                let (configuration, diagnostics) = WorkspaceLoader(root: workspace).loadConfiguration()
                let errors = diagnostics.filter { $0.severity == .error }
                guard errors.isEmpty else {
                    for diagnostic in errors { Console.error(diagnostic.description) }
                    throw ExitCode.invalidInput
                }
                variable = configuration.ledgerURLVariable
            }
            return StateDirectory(workspace: workspace, explicit: stateDir, ledgerURLVariable: variable)
        }
    }

    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("workspace '\(workspace)' is not a folder")
        }
    }

    /// Loads the workspace; prints its diagnostics to stderr and exits with 2 when it has errors.
    func loadValidWorkspace() throws -> Workspace {
        let workspace = WorkspaceLoader(root: workspace).load()
        for diagnostic in workspace.diagnostics {
            Console.error(diagnostic.description)
        }
        if !workspace.errors.isEmpty {
            throw ExitCode.invalidInput
        }
        return workspace
    }
}

extension ExitCode {
    /// The work failed.
    static let workFailed = ExitCode(1)
    /// Input files are invalid; diagnostics were printed.
    static let invalidInput = ExitCode(2)
}
