import AgentSchedulerCore
import Foundation

/// The append-only event log: transitions, requests, tool calls, charges, alerts.
///
/// Every method is one atomic transaction, safe to call from many tasks and many processes at once.
public protocol EventLedger: Sendable {
    /// Appends one event; a `session` the ledger does not hold throws `noSuchSession`.
    func record(_ payload: EventPayload, session: SessionID?, org: String?, at: Date) async throws
    /// Appends many events in one transaction, in the order given.
    func record(_ events: [NewEvent]) async throws
    /// Events of one session, or all with `session == nil`, after `afterID`, in order.
    func events(session: SessionID?, after afterID: Int64) async throws -> [LedgerEvent]
    /// The id of the newest event, 0 when there is none: where a live reader starts.
    func latestEventID() async throws -> Int64
    /// Budget alerts (`budget.alert` events) after `afterID` recorded at or after `since`, of `org`
    /// or of every organisation with `nil`, in order.
    func alerts(org: String?, since: Date, after afterID: Int64) async throws -> [LedgerEvent]
}
