import AgentSchedulerCore
import Foundation

/// A broken invariant `agentsched ledger check` found (DESIGN §5).
public enum LedgerViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An open reservation whose worker's lease ended or expired: nothing will ever settle it
    /// until the lease is reclaimed (the next `run` does that).
    case reservationWithoutLiveLease(reservation: ReservationID, worker: WorkerID)
    /// A scope's kept totals disagree with its charges and open reservations.
    case scopeTotalsDisagree(scope: String, periodStart: Date, kept: Totals, computed: Totals)
    /// A charge that names no session, or a session the ledger does not hold.
    case chargeWithoutSession(charge: Int64, session: SessionID?)

    /// Used and reserved amounts of a scope, in its unit's minor units.
    public struct Totals: Sendable, Hashable, Codable, CustomStringConvertible {
        public var used: Int64
        public var reserved: Int64

        public init(used: Int64, reserved: Int64) {
            self.used = used
            self.reserved = reserved
        }

        public var description: String { "used \(used), reserved \(reserved)" }
    }

    public var description: String {
        switch self {
        case .reservationWithoutLiveLease(let reservation, let worker):
            return "reservation \(reservation) is open, but worker \(worker) holds no live lease"
        case .scopeTotalsDisagree(let scope, let periodStart, let kept, let computed):
            let period = periodStart.formatted(.iso8601)
            return "scope \(scope) (period from \(period)) keeps \(kept), but its charges and holds sum to \(computed)"
        case .chargeWithoutSession(let charge, let session?):
            return "charge \(charge) names session \(session), which the ledger does not hold"
        case .chargeWithoutSession(let charge, nil):
            return "charge \(charge) belongs to no session"
        }
    }
}
