/// One step of a session, as the loop reports it: requests, answers, tool calls and results,
/// steering, limits, failures.
public enum AgentEvent: Sendable, Hashable {
    case requestStarted(turn: Int, model: String)
    case requestFailed(turn: Int, failureClass: String, attempt: Int, message: String, retryIn: Duration?)
    /// A streamed answer was empty or unusable with tools offered: the request goes again without
    /// streaming, and the session streams no more.
    case streamFellBack(turn: Int, reason: String)
    case responseReceived(turn: Int, usage: TokenUsage, toolCalls: Int, text: String)
    /// The answer stopped at the output limit (`finish_reason: length`, `stop_reason: max_tokens`):
    /// `next` says what the loop does about it.
    case answerCut(turn: Int, finishReason: String, next: String)
    case toolCalled(turn: Int, id: String, name: String, arguments: String)
    case toolFinished(turn: Int, id: String, name: String, isError: Bool, output: String)
    case toolRefused(turn: Int, id: String, name: String, reason: String)
    case steered(turn: Int, message: String)
    case limitReached(AgentLimit)
    case finished(AgentOutcome)
    /// How the session's commands are contained (`mode`: `bubblewrap`, `unavailable` or `none`),
    /// and what that means for it.
    case sandbox(mode: String, note: String)
    /// One MCP tool call: its server, tool, duration and outcome (after its `tool.result`).
    case mcpCall(turn: Int, id: String, record: MCPCallRecord)
    /// An MCP server of the session started (`state: started`), could not (`failed`), is not
    /// allowed in the repository (`forbidden`), changed its tools (`tools-changed`), or was
    /// disabled for the rest of the session (`disabled`); `detail` says what and why.
    case mcpServer(server: String, state: String, detail: String)
}

/// A limit of the profile that stopped a session.
public enum AgentLimit: String, Sendable, Hashable, Codable {
    case maxTurns = "max-turns"
    case maxToolCalls = "max-tool-calls"
    case maxRuntime = "max-runtime"
}

/// Where a session run ended.
public enum AgentOutcome: Sendable, Hashable {
    /// The model answered without tool calls; its last text is the summary.
    case completed(summary: String)
    /// A profile limit stopped it.
    case stopped(AgentLimit)
    /// The task was cancelled.
    case cancelled
    /// A request failed for good (retries spent, authentication, bad request), or the spend could
    /// not be checked.
    case failed(String)
    /// The spend was refused for now (`ChargingPause`): the session has not finished; it waits for
    /// budget, or its caller goes on another way. No `session.finished` event is emitted.
    case paused(String)
}

/// Receives a session's events as they happen (the scheduler writes them to the ledger).
public protocol AgentEventSink: Sendable {
    func emit(_ event: AgentEvent) async
}
