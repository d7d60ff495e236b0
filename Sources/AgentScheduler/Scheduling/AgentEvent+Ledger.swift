import AgentSchedulerLedger
import AgentSchedulerRuntime

extension AgentEvent {
    /// The kind the ledger keeps the event under.
    var ledgerKind: EventKind {
        switch self {
        case .requestStarted: .modelRequest
        case .requestFailed: .modelFailed
        case .streamFellBack: .modelStreamFallback
        case .responseReceived: .modelResponse
        case .answerCut: .modelTruncated
        case .toolCalled: .toolCall
        case .toolFinished: .toolResult
        case .toolRefused: .toolRefused
        case .steered: .sessionSteered
        case .limitReached: .sessionLimit
        case .finished: .sessionFinished
        case .sandbox: .sessionSandbox
        case .mcpCall: .mcpCall
        case .mcpServer: .mcpServer
        }
    }

    /// Text kept per field in the ledger: enough to read what happened, not whole files.
    static let maxFieldCharacters = 2_000

    /// The event's details as the ledger's flat string map.
    var ledgerData: [String: String] {
        func cut(_ text: String) -> String {
            text.count <= Self.maxFieldCharacters
                ? text : String(text.prefix(Self.maxFieldCharacters)) + "… (\(text.count) characters)"
        }
        switch self {
        case .requestStarted(let turn, let model):
            return ["turn": "\(turn)", "model": model]
        case .requestFailed(let turn, let failureClass, let attempt, let message, let retryIn):
            var data = ["turn": "\(turn)", "class": failureClass, "attempt": "\(attempt)", "message": cut(message)]
            data["retry_in"] = retryIn.map { "\($0)" }
            return data
        case .streamFellBack(let turn, let reason):
            return ["turn": "\(turn)", "reason": reason]
        case .responseReceived(let turn, let usage, let toolCalls, let text):
            var data = [
                "turn": "\(turn)", "input_tokens": "\(usage.input)", "output_tokens": "\(usage.output)",
                "tool_calls": "\(toolCalls)", "text": cut(text),
            ]
            if usage.estimated { data["tokens_estimated"] = "true" }
            return data
        case .answerCut(let turn, let finishReason, let next):
            return ["turn": "\(turn)", "finish_reason": finishReason, "next": next]
        case .toolCalled(let turn, let id, let name, let arguments):
            return ["turn": "\(turn)", "id": id, "tool": name, "arguments": cut(arguments)]
        case .toolFinished(let turn, let id, let name, let isError, let output):
            return ["turn": "\(turn)", "id": id, "tool": name, "error": "\(isError)", "output": cut(output)]
        case .toolRefused(let turn, let id, let name, let reason):
            return ["turn": "\(turn)", "id": id, "tool": name, "reason": reason]
        case .steered(let turn, let message):
            return ["turn": "\(turn)", "message": cut(message)]
        case .sandbox(let mode, let note):
            return ["mode": mode, "note": note]
        case .mcpCall(let turn, let id, let record):
            return [
                "turn": "\(turn)", "id": id, "server": record.server, "tool": record.tool,
                "duration_ms": "\(record.milliseconds)", "outcome": record.outcome.rawValue,
            ]
        case .mcpServer(let server, let state, let detail):
            return ["server": server, "state": state, "detail": cut(detail)]
        case .limitReached(let limit):
            return ["limit": limit.rawValue]
        case .finished(let outcome):
            switch outcome {
            case .completed(let summary): return ["outcome": "completed", "summary": cut(summary)]
            case .stopped(let limit): return ["outcome": "stopped", "limit": limit.rawValue]
            case .cancelled: return ["outcome": "cancelled"]
            case .failed(let reason): return ["outcome": "failed", "reason": cut(reason)]
            case .paused(let reason): return ["outcome": "paused", "reason": cut(reason)]
            }
        }
    }
}
