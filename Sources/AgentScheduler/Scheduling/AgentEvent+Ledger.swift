import AgentSchedulerLedger
import AgentSchedulerRuntime

extension AgentEvent {
    /// Text kept per field in the ledger: enough to read what happened, not whole files.
    static let maxFieldCharacters = 2_000

    /// The event as the ledger keeps it, long text cut to `maxFieldCharacters`.
    var ledgerPayload: EventPayload {
        func cut(_ text: String) -> String {
            text.count <= Self.maxFieldCharacters
                ? text : String(text.prefix(Self.maxFieldCharacters)) + "… (\(text.count) characters)"
        }
        switch self {
        case .requestStarted(let turn, let model):
            return .modelRequest(turn: turn, model: model)
        case .requestFailed(let turn, let failureClass, let attempt, let message, let retryIn):
            return .modelFailed(
                turn: turn, failureClass: failureClass, attempt: attempt, message: cut(message),
                retryIn: retryIn.map { "\($0)" })
        case .streamFellBack(let turn, let reason):
            return .modelStreamFallback(turn: turn, reason: reason)
        case .responseReceived(let turn, let usage, let toolCalls, let text):
            return .modelResponse(
                turn: turn, inputTokens: usage.input, outputTokens: usage.output, tokensEstimated: usage.estimated,
                toolCalls: toolCalls, text: cut(text))
        case .answerCut(let turn, let finishReason, let next):
            return .modelTruncated(turn: turn, finishReason: finishReason, next: next)
        case .toolCalled(let turn, let id, let name, let arguments):
            return .toolCall(turn: turn, id: id, tool: name, arguments: cut(arguments))
        case .toolFinished(let turn, let id, let name, let isError, let output):
            return .toolResult(turn: turn, id: id, tool: name, isError: isError, output: cut(output))
        case .toolRefused(let turn, let id, let name, let reason):
            return .toolRefused(turn: turn, id: id, tool: name, reason: reason)
        case .steered(let turn, let message):
            return .sessionSteered(turn: turn, message: cut(message))
        case .sandbox(let mode, let note):
            return .sessionSandbox(mode: mode, note: note)
        case .mcpCall(let turn, let id, let record):
            return .mcpCall(
                turn: turn, id: id, server: record.server, tool: record.tool, milliseconds: record.milliseconds,
                outcome: record.outcome.rawValue)
        case .mcpServer(let server, let state, let detail):
            return .mcpServer(server: server, state: state, detail: cut(detail))
        case .limitReached(let limit):
            return .sessionLimit(limit: limit.rawValue)
        case .finished(let outcome):
            switch outcome {
            case .completed(let summary): return .sessionFinished(.completed(summary: cut(summary)))
            case .stopped(let limit): return .sessionFinished(.stopped(limit: limit.rawValue))
            case .cancelled: return .sessionFinished(.cancelled)
            case .failed(let reason): return .sessionFinished(.failed(reason: cut(reason)))
            case .paused(let reason): return .sessionFinished(.paused(reason: cut(reason)))
            }
        }
    }
}
