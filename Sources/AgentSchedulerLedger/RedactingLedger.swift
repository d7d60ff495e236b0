import AgentSchedulerCore
import Foundation

/// A ledger that redacts every secret from the text it writes, in front of any other ledger.
///
/// The composition root wraps the process's ledger in it, so event data, transition and release
/// reasons, session outputs (the summary) and steering messages never store a secret value, from
/// whichever part of agentsched they come. Reads pass through unchanged; what was stored is clean.
public struct RedactingLedger: Ledger {
    public let base: any Ledger
    public let redactor: Redactor

    public init(_ base: any Ledger, redactor: Redactor) {
        self.base = base
        self.redactor = redactor
    }

    // MARK: Writes that carry text

    public func createSession(_ new: NewSession, at: Date) async throws -> SessionRecord {
        try await base.createSession(redacted(new), at: at)
    }

    private func redacted(_ new: NewSession) -> NewSession {
        var new = new
        new.title = redactor.redact(new.title)
        new.body = redactor.redact(new.body)
        new.reason = redactor.redact(new.reason)
        new.feedback = redactor.redact(new.feedback)
        return new
    }

    private func redacted(_ fields: PullRequestFields) -> PullRequestFields {
        var fields = fields
        fields.title = redactor.redact(fields.title)
        fields.body = redactor.redact(fields.body)
        return fields
    }

    public func createFollowUp(
        _ new: NewSession, pullRequest: Int?, feedbackKeys: [String], at: Date
    ) async throws
        -> SessionRecord?
    {
        try await base.createFollowUp(redacted(new), pullRequest: pullRequest, feedbackKeys: feedbackKeys, at: at)
    }

    @discardableResult
    public func recordPullRequest(
        _ fields: PullRequestFields, number: Int, url: String, at: Date
    ) async throws
        -> PullRequestRecord
    {
        try await base.recordPullRequest(redacted(fields), number: number, url: url, at: at)
    }

    public func openLocalPullRequest(_ fields: PullRequestFields, at: Date) async throws -> PullRequestRecord {
        try await base.openLocalPullRequest(redacted(fields), at: at)
    }

    @discardableResult
    public func addLocalComment(
        repository: String, number: Int, author: String, body: String, at: Date
    )
        async throws -> LocalComment
    {
        try await base.addLocalComment(
            repository: repository, number: number, author: author, body: redactor.redact(body), at: at)
    }

    public func transition(
        _ session: SessionID, to state: SessionState, reason: String?, worker: WorkerID?, at: Date
    ) async throws -> SessionRecord {
        try await base.transition(session, to: state, reason: redactor.redact(reason), worker: worker, at: at)
    }

    public func recordOutputs(_ session: SessionID, _ outputs: SessionOutputs, at: Date) async throws {
        var outputs = outputs
        outputs.summary = redactor.redact(outputs.summary)
        try await base.recordOutputs(session, outputs, at: at)
    }

    public func recordActualModel(_ session: SessionID, model: String, reason: String, at: Date) async throws {
        try await base.recordActualModel(session, model: model, reason: redactor.redact(reason), at: at)
    }

    public func steer(_ session: SessionID, message: String, by user: String?, at: Date) async throws -> Int64 {
        try await base.steer(session, message: redactor.redact(message), by: user, at: at)
    }

    public func record(_ payload: EventPayload, session: SessionID?, org: String?, at: Date) async throws {
        try await base.record(try payload.redacted(by: redactor), session: session, org: org, at: at)
    }

    public func record(_ events: [NewEvent]) async throws {
        try await base.record(
            try events.map { event in
                var event = event
                event.payload = try event.payload.redacted(by: redactor)
                return event
            })
    }

    public func release(_ reservation: ReservationID, reason: String, at: Date) async throws {
        try await base.release(reservation, reason: redactor.redact(reason), at: at)
    }

    /// Conversation messages are JSON: their strings are redacted, so the JSON stays valid.
    public func saveConversation(
        _ session: SessionID, _ update: ConversationUpdate, worker: WorkerID, at: Date
    ) async throws {
        var update = update
        update.appended = update.appended.map { redactor.redact(json: $0) }
        try await base.saveConversation(session, update, worker: worker, at: at)
    }

    // MARK: Everything else passes through

    public func conversation(_ session: SessionID) async throws -> SavedConversation? {
        try await base.conversation(session)
    }

    public func session(_ id: SessionID) async throws -> SessionRecord? { try await base.session(id) }

    public func sessions(in states: Set<SessionState>) async throws -> [SessionRecord] {
        try await base.sessions(in: states)
    }

    public func claim(_ request: ClaimRequest) async throws -> [SessionRecord] { try await base.claim(request) }

    public func unclaim(_ sessions: [SessionID], worker: WorkerID, at: Date) async throws {
        try await base.unclaim(sessions, worker: worker, at: at)
    }

    public func stateCounts() async throws -> [SessionState: Int] { try await base.stateCounts() }

    public func activeCounts() async throws -> ActiveCounts { try await base.activeCounts() }

    public func requestCancel(_ session: SessionID, by user: String?, at: Date) async throws -> CancelOutcome {
        try await base.requestCancel(session, by: user, at: at)
    }

    public func controls(worker: WorkerID) async throws -> WorkerControls { try await base.controls(worker: worker) }

    public func markDelivered(_ message: Int64, refusal: String?, at: Date) async throws -> Bool {
        try await base.markDelivered(message, refusal: redactor.redact(refusal), at: at)
    }

    public func charges(session: SessionID) async throws -> [Charge] { try await base.charges(session: session) }

    public func events(session: SessionID?, after afterID: Int64) async throws -> [LedgerEvent] {
        try await base.events(session: session, after: afterID)
    }

    public func latestEventID() async throws -> Int64 { try await base.latestEventID() }

    public func alerts(org: String?, since: Date, after afterID: Int64) async throws -> [LedgerEvent] {
        try await base.alerts(org: org, since: since, after: afterID)
    }

    public func reserve(_ request: ReservationRequest) async throws -> ReservationOutcome {
        try await base.reserve(request)
    }

    public func commit(
        _ reservation: ReservationID, amount: Amount, requests: Int, tokens: TokenCounts, at: Date, orgLimit: Amount?,
        alerts: [Int], delivering steering: Int64?
    ) async throws -> Charge {
        try await base.commit(
            reservation, amount: amount, requests: requests, tokens: tokens, at: at, orgLimit: orgLimit,
            alerts: alerts, delivering: steering)
    }

    public func usage(of scopes: [BudgetScope]) async throws -> [ScopeUsage] { try await base.usage(of: scopes) }

    public func completedSessionCosts(
        agent: String, model: String, unit: BillingUnit, limit: Int
    ) async throws -> [Amount] {
        try await base.completedSessionCosts(agent: agent, model: model, unit: unit, limit: limit)
    }

    public func openReservations() async throws -> [Reservation] { try await base.openReservations() }

    public func registerWorker(_ lease: WorkerLease, at: Date) async throws {
        try await base.registerWorker(lease, at: at)
    }

    public func now() async throws -> Date { try await base.now() }

    public func migrate() async throws { try await base.migrate() }

    public func schemaVersion() async throws -> Int { try await base.schemaVersion() }

    public func checkInvariants(now: Date) async throws -> [LedgerViolation] {
        try await base.checkInvariants(now: now)
    }

    public func renewLease(worker: WorkerID, until: Date, at: Date) async throws {
        try await base.renewLease(worker: worker, until: until, at: at)
    }

    public func retireWorker(_ worker: WorkerID, at: Date) async throws { try await base.retireWorker(worker, at: at) }

    public func reclaimExpiredLeases(now: Date) async throws -> ReclaimReport {
        try await base.reclaimExpiredLeases(now: now)
    }

    public func usage(_ query: UsageQuery) async throws -> UsageTable { try await base.usage(query) }

    public func charges(from: Date, until: Date, org: String?) async throws -> [Charge] {
        try await base.charges(from: from, until: until, org: org)
    }

    public func pullRequests(repository: String?, openOnly: Bool) async throws -> [PullRequestRecord] {
        try await base.pullRequests(repository: repository, openOnly: openOnly)
    }

    public func pullRequest(repository: String, number: Int) async throws -> PullRequestRecord? {
        try await base.pullRequest(repository: repository, number: number)
    }

    public func pullRequest(head: String, repository: String) async throws -> PullRequestRecord? {
        try await base.pullRequest(head: head, repository: repository)
    }

    public func setPullRequestState(
        repository: String, number: Int, state: PullRequestRecord.State, at: Date
    )
        async throws
    {
        try await base.setPullRequestState(repository: repository, number: number, state: state, at: at)
    }

    public func setLatestSession(repository: String, number: Int, session: SessionID, at: Date) async throws {
        try await base.setLatestSession(repository: repository, number: number, session: session, at: at)
    }

    public func saveFeedbackCursor(repository: String, number: Int, cursor: String, at: Date) async throws {
        try await base.saveFeedbackCursor(repository: repository, number: number, cursor: cursor, at: at)
    }

    public func markFeedback(
        repository: String, pullRequest: Int, keys: [String], outcome: FeedbackOutcome, at: Date
    ) async throws -> [String] {
        try await base.markFeedback(
            repository: repository, pullRequest: pullRequest, keys: keys, outcome: outcome, at: at)
    }

    public func actedOnFeedback(repository: String, pullRequest: Int, keys: [String]) async throws -> Set<String> {
        try await base.actedOnFeedback(repository: repository, pullRequest: pullRequest, keys: keys)
    }

    public func localComments(repository: String, number: Int, after afterID: Int64) async throws -> [LocalComment] {
        try await base.localComments(repository: repository, number: number, after: afterID)
    }

    /// Delivery ids and event names are GitHub's, never secrets: passed through.
    public func recordWebhookDelivery(_ delivery: String, event: String, digest: String, at: Date) async throws -> Bool
    {
        try await base.recordWebhookDelivery(delivery, event: event, digest: digest, at: at)
    }

    public func forgetWebhookDelivery(_ delivery: String) async throws {
        try await base.forgetWebhookDelivery(delivery)
    }
}
