import AgentScheduler
import AgentSchedulerLedger
import ArgumentParser
import Foundation
import Logging

/// `agentsched sessions follow-up ID MESSAGE [--as USER]`: new instructions for a finished
/// session's branch, as a new session that continues it.
struct SessionsFollowUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "Queue a follow-up of a finished session: new instructions, on the same branch and pull request.",
        discussion: """
            The follow-up is a new session, charged like any other, that starts from the head of the followed \
            session's branch; its commits land on that branch, so in the same pull request. Whoever asks needs \
            write or above in the repository.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session to follow up.")
    var id: SessionID

    @Argument(help: "The new instructions.")
    var message: String

    @Option(name: .customLong("as"), help: "Who asks (default: $AGENTSCHED_USER, then user: in agentsched.yaml).")
    var user: String?

    func validate() throws {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the message is empty; give the new instructions")
        }
    }

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let user = try workspace.actingUser(user)
        try await options.stateDirectory.withExistingLedger { ledger in
            guard let ledger else { throw CommandError("no session \(id)") }
            let forges = ForgeDirectory(
                workspace: workspace, environment: ProcessInfo.processInfo.environment,
                logger: Logger(label: "agentsched.forge"))
            let followUps = FollowUps(
                workspace: workspace, ledger: RedactingLedger(ledger, redactor: Console.installedRedactor),
                permissions: forges.permissions)
            let created: SessionRecord?
            do {
                created = try await forges.closing {
                    try await followUps.create(following: id, feedback: message, by: user)
                }
            } catch let refusal as FollowUps.Refusal {
                throw CommandError("\(refusal)")
            }
            guard let created else { throw CommandError("the follow-up was not queued") }
            Console.output("session \(created.id) queued to follow up session \(id); agentsched run starts it")
        }
    }
}
