import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// Steering and cancelling a session from any process, for `sessions steer`, `sessions cancel`
/// and the API alike: the ledger carries the request to whichever worker holds the session.
public struct SessionControls: Sendable {
    public var ledger: any Ledger
    public var clock: any WallClock

    public init(ledger: any Ledger, clock: any WallClock = SystemWallClock()) {
        self.ledger = ledger
        self.clock = clock
    }

    /// Why a control was refused: one line.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noSession(SessionID)
        case emptyMessage
        case ended(SessionID, SessionState)

        public var description: String {
            switch self {
            case .noSession(let id): "no session \(id)"
            case .emptyMessage: "the message is empty"
            case .ended(let id, let state):
                "session \(id) is already \(state.rawValue); follow it up instead of steering it"
            }
        }
    }

    /// Leaves `message` for session `id`, delivered after its current tool call; returns the
    /// message's id. Throws ``Refusal``.
    public func steer(_ id: SessionID, message: String, by user: String) async throws -> Int64 {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Refusal.emptyMessage }
        guard try await ledger.session(id) != nil else { throw Refusal.noSession(id) }
        do {
            return try await ledger.steer(id, message: message, by: user, at: clock.now())
        } catch LedgerError.sessionFinal(_, let state) {
            throw Refusal.ended(id, state)
        } catch LedgerError.noSuchSession {
            throw Refusal.noSession(id)
        }
    }

    /// Cancels session `id`: at once when it waits, or by asking its worker, which stops it at
    /// its next safe point. A session whose worker died is interrupted first (its lease is
    /// reclaimed), then cancelled. Throws ``Refusal/noSession(_:)``.
    public func cancel(_ id: SessionID, by user: String) async throws -> CancelOutcome {
        guard try await ledger.session(id) != nil else { throw Refusal.noSession(id) }
        _ = try await ledger.reclaimExpiredLeases(now: clock.now())
        return try await ledger.requestCancel(id, by: user, at: clock.now())
    }
}
