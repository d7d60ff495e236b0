import AgentScheduler
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched sessions cancel ID`: stops a session from any process.
struct SessionsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a session: a waiting one at once, a running one within two seconds.",
        discussion: """
            A running session stops at its next safe point; its reservation is released, and its worktree and \
            partial commits are kept. The command waits until the session has stopped.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The session's id.")
    var id: SessionID

    @Option(help: ArgumentHelp("How long to wait for a running session to stop.", valueName: "SECONDS"))
    var wait = 10

    func run() async throws {
        try await options.stateDirectory.withExistingLedger { ledger in
            guard let ledger else { throw CommandError("no session \(id)") }
            let user = ProcessInfo.processInfo.environment["AGENTSCHED_USER"] ?? ProcessInfo.processInfo.userName
            let outcome: CancelOutcome
            do {
                outcome = try await SessionControls(ledger: ledger).cancel(id, by: user)
            } catch let refusal as SessionControls.Refusal {
                throw CommandError("\(refusal)")
            }
            switch outcome {
            case .alreadyFinal(let session):
                Console.output("session \(id) is already \(session.state.rawValue); nothing to cancel")
            case .cancelled:
                Console.output("session \(id) cancelled")
            case .requested(let session):
                let deadline = Date().addingTimeInterval(TimeInterval(wait))
                var current = session
                while !current.state.isFinal, current.state != .interrupted, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    current = try await ledger.session(id) ?? current
                }
                guard current.state.isFinal else {
                    throw CommandError(
                        "session \(id) is still \(current.state.rawValue) after \(wait)s; worker "
                            + "\(session.worker ?? "?") will stop it when it next checks")
                }
                let kept = current.outputs.worktree.map { "; worktree kept at \($0)" } ?? ""
                Console.output("session \(id) \(current.state.rawValue)\(kept)")
            }
        }
    }
}
