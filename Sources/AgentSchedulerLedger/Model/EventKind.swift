/// Every kind of event the ledger keeps, by its stable dotted name (`session.state`, `tool.call`, …).
///
/// The one place event kinds are spelled: engines store `rawValue` and refuse, with a CHECK, any
/// name not listed here; reading a row whose kind is unknown throws `LedgerError.corrupt` rather
/// than guessing.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A session was queued.
    case sessionCreated = "session.created"
    /// A worker claimed a session.
    case sessionClaimed = "session.claimed"
    /// A session changed state.
    case sessionState = "session.state"
    /// A session recorded what it left behind.
    case sessionOutputs = "session.outputs"
    /// A session moved to the budget's fallback model.
    case sessionFallback = "session.fallback"
    /// Someone asked to cancel a session.
    case sessionCancelRequested = "session.cancel-requested"
    /// Someone left a steering message.
    case sessionSteerRequested = "session.steer-requested"
    /// A steering message's charge did not fit.
    case sessionSteerRefused = "session.steer-refused"
    /// A steering message reached the model.
    case sessionSteered = "session.steered"
    /// A profile limit stopped the session.
    case sessionLimit = "session.limit"
    /// The agent loop ended.
    case sessionFinished = "session.finished"
    /// How the session's tools are contained.
    case sessionSandbox = "session.sandbox"
    /// Recording a finished session's outputs failed.
    case sessionFinishingFailed = "session.finishing-failed"
    /// A model request started.
    case modelRequest = "model.request"
    /// A model request failed.
    case modelFailed = "model.failed"
    /// A stream fell back to a plain answer.
    case modelStreamFallback = "model.stream-fallback"
    /// A model answered.
    case modelResponse = "model.response"
    /// An answer was cut at its output limit.
    case modelTruncated = "model.truncated"
    /// The model called a tool.
    case toolCall = "tool.call"
    /// A tool call finished.
    case toolResult = "tool.result"
    /// A tool call was refused.
    case toolRefused = "tool.refused"
    /// An MCP tool call's server, tool, duration and outcome.
    case mcpCall = "mcp.call"
    /// An MCP server's state changed.
    case mcpServer = "mcp.server"
    /// Budget was held.
    case budgetReserved = "budget.reserved"
    /// A hold became a charge.
    case budgetCharged = "budget.charged"
    /// A hold was returned.
    case budgetReleased = "budget.released"
    /// An organisation crossed an alert threshold.
    case budgetAlert = "budget.alert"
    /// A request's output bound was lowered to fit.
    case budgetOutputLowered = "budget.output-lowered"
    /// An answer without usage was charged its whole hold.
    case budgetUsageMissing = "budget.usage-missing"
    /// What one model request cost.
    case requestPriced = "request.priced"
    /// A worker registered its lease.
    case workerStarted = "worker.started"
    /// A worker ended its lease.
    case workerRetired = "worker.retired"
    /// A dead worker's lease was reclaimed.
    case leaseReclaimed = "lease.reclaimed"
    /// A forge's pull request was recorded.
    case pullRequestRecorded = "pull-request.recorded"
    /// A local pull request was opened.
    case pullRequestOpened = "pull-request.opened"
    /// A session's state was commented on its issue on the forge.
    case forgeIssueComment = "forge.issue-comment"
}

extension EventKind: CustomStringConvertible {
    /// The dotted name, as logs and pages print it.
    public var description: String { rawValue }
}
