import AgentSchedulerCore

/// What one event says: one case per `EventKind`, with its details typed.
///
/// Components and engines build these; engines store them as a flat JSON object of strings
/// (`fields`, spelled in `EventPayload+Fields.swift` and nowhere else), and reading a stored event
/// decodes it with `init(kind:fields:)`, which throws `LedgerError.corrupt` for a field that is
/// missing, of the wrong type, or unknown to its kind rather than guessing.
///
/// Free text (a model's answer, a tool's output, a reason) is kept as the producer wrote it; the
/// producer cuts what is too long to keep.
public enum EventPayload: Sendable, Hashable {
    // MARK: Sessions

    /// A session was queued (or recorded refused, when `state` is final).
    case sessionCreated(state: SessionState, agent: String, issue: Int, reason: String?, follows: SessionID?)
    /// A worker claimed a session.
    case sessionClaimed(worker: WorkerID)
    /// A session changed state; `worker` is the holder that moved it, if any.
    case sessionState(from: SessionState, to: SessionState, reason: String?, worker: WorkerID?)
    /// What a session left behind.
    case sessionOutputs(branch: String?, commit: String?, patch: String?, worktree: String?, pullRequest: Int?)
    /// A session moved from its model to the budget's fallback.
    case sessionFallback(from: String, to: String, reason: String)
    /// Someone asked to cancel a session; `worker` held it then.
    case sessionCancelRequested(worker: WorkerID?, by: String?)
    /// Someone left steering message `steering`.
    case sessionSteerRequested(steering: Int64, message: String, by: String?)
    /// Steering message `steering`'s charge did not fit; it was not delivered.
    case sessionSteerRefused(steering: Int64, reason: String)
    /// A steering message reached the model before `turn`.
    case sessionSteered(turn: Int, message: String)
    /// A profile limit (`turns`, `tool-calls`, `duration`, …) stopped the session.
    case sessionLimit(limit: String)
    /// The agent loop ended.
    case sessionFinished(Ending)
    /// How the session's tools are contained (`bubblewrap`, `none`, …) and why.
    case sessionSandbox(mode: String, note: String)
    /// Recording a finished session's outputs failed.
    case sessionFinishingFailed(error: String)

    // MARK: Model requests

    /// A model request started.
    case modelRequest(turn: Int, model: String)
    /// A model request failed; `retryIn` is the wait before the next attempt, as the loop said it.
    case modelFailed(turn: Int, failureClass: String, attempt: Int, message: String, retryIn: String?)
    /// A stream fell back to a plain answer.
    case modelStreamFallback(turn: Int, reason: String)
    /// A model answered; `tokensEstimated` when the provider reported no usage.
    case modelResponse(
        turn: Int, inputTokens: Int, outputTokens: Int, tokensEstimated: Bool, toolCalls: Int, text: String)
    /// An answer was cut at its output limit; `next` says what the loop does about it.
    case modelTruncated(turn: Int, finishReason: String, next: String)

    // MARK: Tools

    /// The model called a tool.
    case toolCall(turn: Int, id: String, tool: String, arguments: String)
    /// A tool call finished.
    case toolResult(turn: Int, id: String, tool: String, isError: Bool, output: String)
    /// A tool call was refused.
    case toolRefused(turn: Int, id: String, tool: String, reason: String)
    /// An MCP tool call's server, tool, duration and outcome (`ok`, `error-result`, `timeout`, …).
    case mcpCall(turn: Int, id: String, server: String, tool: String, milliseconds: Int, outcome: String)
    /// An MCP server's state changed.
    case mcpServer(server: String, state: String, detail: String)

    // MARK: Budget

    /// Budget was held.
    case budgetReserved(reservation: ReservationID, amount: Amount, kind: ChargeKind, model: String, fallback: String?)
    /// A hold became a charge; `refunded` is what went back, when the charge was less.
    case budgetCharged(reservation: ReservationID, amount: Amount, requests: Int, refunded: Amount?)
    /// A hold was returned.
    case budgetReleased(reservation: ReservationID, amount: Amount, reason: String)
    /// An organisation's committed spend crossed `threshold` percent of its limit.
    case budgetAlert(threshold: Int, used: Amount, limit: Amount)
    /// A request's output bound was lowered from `wanted` to `maxTokens` to fit the budget.
    case budgetOutputLowered(turn: Int, maxTokens: Int, wanted: Int)
    /// An answer without usage was charged its whole hold.
    case budgetUsageMissing(turn: Int, charged: AICredits, why: String)
    /// What one model request billed in AI credits cost.
    case requestPriced(PricedRequest)

    // MARK: Workers

    /// A worker registered its lease.
    case workerStarted(worker: WorkerID, pid: Int32, host: String)
    /// A worker ended its lease, releasing its reservations and sessions.
    case workerRetired(worker: WorkerID, reservations: Int, sessions: Int)
    /// A dead worker's lease was reclaimed, with its reservations and sessions.
    case leaseReclaimed(worker: WorkerID, reservations: Int, sessions: Int)

    // MARK: Pull requests and forges

    /// A forge's pull request was recorded.
    case pullRequestRecorded(repository: String, number: Int, head: String)
    /// A local pull request was opened.
    case pullRequestOpened(repository: String, number: Int, head: String)
    /// A session's state was commented on its issue (`owner/name#N`) on the forge.
    case forgeIssueComment(state: SessionState, issue: String)

    /// The `budget.reserved` event of reservation `id`: its amount, what it is for, and the
    /// fallback model when the session runs on one.
    public static func reserved(_ id: ReservationID, _ amount: Amount, _ context: ChargeContext) -> EventPayload {
        .budgetReserved(
            reservation: id, amount: amount, kind: context.kind, model: context.requestedModel,
            fallback: context.actualModel == context.requestedModel ? nil : context.actualModel)
    }

    /// The id of the tool call this event is about (its call, result, refusal or MCP record);
    /// `nil` for every other event.
    public var toolCallID: String? {
        switch self {
        case .toolCall(_, let id, _, _), .toolResult(_, let id, _, _, _), .toolRefused(_, let id, _, _),
            .mcpCall(_, let id, _, _, _, _):
            id
        default: nil
        }
    }

    /// How an agent loop ended.
    public enum Ending: Sendable, Hashable {
        case completed(summary: String)
        case stopped(limit: String)
        case cancelled
        case failed(reason: String)
        case paused(reason: String)
    }
}
