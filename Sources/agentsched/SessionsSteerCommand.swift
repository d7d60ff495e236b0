import AgentScheduler
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched sessions steer ID MESSAGE`: a new instruction for a session, from any process.
struct SessionsSteerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steer",
        abstract: "Send a session a new instruction, delivered after its current tool call.",
        discussion: "Under per-session charging each message costs 1 × the model's multiplier, as on GitHub.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: SessionID

    @Argument(help: "The instruction.")
    var message: String

    func validate() throws {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the message is empty")
        }
    }

    func run() async throws {
        let user = ProcessInfo.processInfo.environment["AGENTSCHED_USER"] ?? ProcessInfo.processInfo.userName
        do {
            let text = message
            let queued = try await options.stateDirectory.withExistingLedger { ledger in
                guard let ledger else { throw CommandError("no session \(id)") }
                return try await SessionControls(ledger: ledger).steer(id, message: text, by: user)
            }
            Console.output("message \(queued) queued for session \(id); it is delivered after the current tool call")
        } catch let refusal as SessionControls.Refusal {
            throw CommandError("\(refusal)")
        } catch let error as LedgerError {
            throw CommandError("\(error)")
        }
    }
}
