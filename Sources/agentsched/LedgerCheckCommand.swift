import AgentScheduler
import AgentSchedulerLedger
import ArgumentParser
import Foundation

/// `agentsched ledger check`: verifies DESIGN §5's invariants; exits 1 naming each violation.
struct LedgerCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the ledger's invariants: leases, scope totals, and charges' sessions.",
        discussion: "Exits 1, naming each violation, when one does not hold.")

    @OptionGroup var options: WorkspaceOptions

    func run() async throws {
        let state = try options.stateDirectory
        let violations = try await state.withExistingLedger { ledger -> [LedgerViolation]? in
            guard let ledger else { return nil }
            return try await ledger.checkInvariants(now: try await ledger.now())
        }
        guard let violations else {
            Console.output("no ledger at \(state.ledger) yet: nothing to check")
            return
        }
        for violation in violations {
            Console.error("ledger check: \(violation)")
        }
        guard violations.isEmpty else {
            throw CommandError("\(violations.count) invariant violation(s) in the ledger at \(state.ledger)")
        }
        Console.output("ledger at \(state.ledger): every invariant holds")
    }
}
