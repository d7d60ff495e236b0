import AgentSchedulerCore
import Foundation

/// Budget holds and charges (DESIGN §5): reserved before spending, committed or released once.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol BudgetLedger: Sendable {
    /// Holds `request.amount` under every scope at once, or says which scope it would overrun.
    ///
    /// Invariant: for every scope, used + reserved ≤ limit after the call. A zero amount always fits.
    func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome
    /// Turns an open reservation into a charge of at most its amount, then records any budget alerts
    /// newly crossed by the organisation scope (`alerts` are percentages of `orgLimit`).
    ///
    /// `amount` is in the reservation's unit; `tokens` are what the provider reported (zero under
    /// premium requests). With `steering`, the charge is that steering message's, and the same
    /// transaction marks it delivered; when it was delivered already, nothing is committed and
    /// `alreadyDelivered` is thrown (release the reservation then).
    func commit(
        _ reservation: ReservationID, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int], delivering steering: Int64?
    ) async throws -> Charge
    /// Returns an open reservation's amount to every scope it was held under.
    func release(_ reservation: ReservationID, reason: String, at: Date) async throws
    /// Used and reserved amounts of each scope in its period.
    func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage]
    /// Reservations not yet committed or released.
    func openReservations() async throws -> [Reservation]
}
