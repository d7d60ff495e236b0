import AgentSchedulerCore

extension EventPayload {
    /// The kind this payload is stored under.
    public var kind: EventKind {
        switch self {
        case .sessionCreated: .sessionCreated
        case .sessionClaimed: .sessionClaimed
        case .sessionState: .sessionState
        case .sessionOutputs: .sessionOutputs
        case .sessionFallback: .sessionFallback
        case .sessionCancelRequested: .sessionCancelRequested
        case .sessionSteerRequested: .sessionSteerRequested
        case .sessionSteerRefused: .sessionSteerRefused
        case .sessionSteered: .sessionSteered
        case .sessionLimit: .sessionLimit
        case .sessionFinished: .sessionFinished
        case .sessionSandbox: .sessionSandbox
        case .sessionFinishingFailed: .sessionFinishingFailed
        case .modelRequest: .modelRequest
        case .modelFailed: .modelFailed
        case .modelStreamFallback: .modelStreamFallback
        case .modelResponse: .modelResponse
        case .modelTruncated: .modelTruncated
        case .toolCall: .toolCall
        case .toolResult: .toolResult
        case .toolRefused: .toolRefused
        case .mcpCall: .mcpCall
        case .mcpServer: .mcpServer
        case .budgetReserved: .budgetReserved
        case .budgetCharged: .budgetCharged
        case .budgetReleased: .budgetReleased
        case .budgetAlert: .budgetAlert
        case .budgetOutputLowered: .budgetOutputLowered
        case .budgetUsageMissing: .budgetUsageMissing
        case .requestPriced: .requestPriced
        case .workerStarted: .workerStarted
        case .workerRetired: .workerRetired
        case .leaseReclaimed: .leaseReclaimed
        case .pullRequestRecorded: .pullRequestRecorded
        case .pullRequestOpened: .pullRequestOpened
        case .forgeIssueComment: .forgeIssueComment
        }
    }

    /// The payload as the ledger stores it and `--format json` prints it: a flat map of strings,
    /// optional values left out, amounts as exact decimals beside a `unit` (left out for premium
    /// requests).
    public var fields: [String: String] {
        var fields = EventFields()
        switch self {
        case .sessionCreated(let state, let agent, let issue, let reason, let follows):
            fields["state"] = state.rawValue
            fields["agent"] = agent
            fields["issue"] = "\(issue)"
            fields["reason"] = reason
            fields["follows"] = follows?.description
        case .sessionClaimed(let worker):
            fields["worker"] = worker.rawValue
        case .sessionState(let from, let to, let reason, let worker):
            fields["from"] = from.rawValue
            fields["to"] = to.rawValue
            fields["reason"] = reason
            fields["worker"] = worker?.rawValue
        case .sessionOutputs(let branch, let commit, let patch, let worktree, let pullRequest):
            fields["branch"] = branch
            fields["commit"] = commit
            fields["patch"] = patch
            fields["worktree"] = worktree
            fields["pull_request"] = pullRequest.map { "\($0)" }
        case .sessionFallback(let from, let to, let reason):
            fields["from"] = from
            fields["to"] = to
            fields["reason"] = reason
        case .sessionCancelRequested(let worker, let by):
            fields["worker"] = worker?.rawValue
            fields["by"] = by
        case .sessionSteerRequested(let steering, let message, let by):
            fields["steering"] = "\(steering)"
            fields["message"] = message
            fields["by"] = by
        case .sessionSteerRefused(let steering, let reason):
            fields["steering"] = "\(steering)"
            fields["reason"] = reason
        case .sessionSteered(let turn, let message):
            fields["turn"] = "\(turn)"
            fields["message"] = message
        case .sessionLimit(let limit):
            fields["limit"] = limit
        case .sessionFinished(let ending):
            switch ending {
            case .completed(let summary):
                fields["outcome"] = "completed"
                fields["summary"] = summary
            case .stopped(let limit):
                fields["outcome"] = "stopped"
                fields["limit"] = limit
            case .cancelled:
                fields["outcome"] = "cancelled"
            case .failed(let reason):
                fields["outcome"] = "failed"
                fields["reason"] = reason
            case .paused(let reason):
                fields["outcome"] = "paused"
                fields["reason"] = reason
            }
        case .sessionSandbox(let mode, let note):
            fields["mode"] = mode
            fields["note"] = note
        case .sessionFinishingFailed(let error):
            fields["error"] = error
        case .modelRequest(let turn, let model):
            fields["turn"] = "\(turn)"
            fields["model"] = model
        case .modelFailed(let turn, let failureClass, let attempt, let message, let retryIn):
            fields["turn"] = "\(turn)"
            fields["class"] = failureClass
            fields["attempt"] = "\(attempt)"
            fields["message"] = message
            fields["retry_in"] = retryIn
        case .modelStreamFallback(let turn, let reason):
            fields["turn"] = "\(turn)"
            fields["reason"] = reason
        case .modelResponse(let turn, let input, let output, let estimated, let toolCalls, let text):
            fields["turn"] = "\(turn)"
            fields["input_tokens"] = "\(input)"
            fields["output_tokens"] = "\(output)"
            fields["tokens_estimated"] = estimated ? "true" : nil
            fields["tool_calls"] = "\(toolCalls)"
            fields["text"] = text
        case .modelTruncated(let turn, let finishReason, let next):
            fields["turn"] = "\(turn)"
            fields["finish_reason"] = finishReason
            fields["next"] = next
        case .toolCall(let turn, let id, let tool, let arguments):
            fields["turn"] = "\(turn)"
            fields["id"] = id
            fields["tool"] = tool
            fields["arguments"] = arguments
        case .toolResult(let turn, let id, let tool, let isError, let output):
            fields["turn"] = "\(turn)"
            fields["id"] = id
            fields["tool"] = tool
            fields["error"] = "\(isError)"
            fields["output"] = output
        case .toolRefused(let turn, let id, let tool, let reason):
            fields["turn"] = "\(turn)"
            fields["id"] = id
            fields["tool"] = tool
            fields["reason"] = reason
        case .mcpCall(let turn, let id, let server, let tool, let milliseconds, let outcome):
            fields["turn"] = "\(turn)"
            fields["id"] = id
            fields["server"] = server
            fields["tool"] = tool
            fields["duration_ms"] = "\(milliseconds)"
            fields["outcome"] = outcome
        case .mcpServer(let server, let state, let detail):
            fields["server"] = server
            fields["state"] = state
            fields["detail"] = detail
        case .budgetReserved(let reservation, let amount, let kind, let model, let fallback):
            fields["reservation"] = reservation.description
            fields.set(amount, at: "amount")
            fields["kind"] = kind.rawValue
            fields["model"] = model
            fields["fallback"] = fallback
        case .budgetCharged(let reservation, let amount, let requests, let refunded):
            fields["reservation"] = reservation.description
            fields.set(amount, at: "amount")
            fields["requests"] = "\(requests)"
            if let refunded { fields.set(refunded, at: "refunded") }
        case .budgetReleased(let reservation, let amount, let reason):
            fields["reservation"] = reservation.description
            fields.set(amount, at: "amount")
            fields["reason"] = reason
        case .budgetAlert(let threshold, let used, let limit):
            fields["threshold"] = "\(threshold)"
            fields.set(used, at: "used")
            fields.set(limit, at: "limit")
        case .budgetOutputLowered(let turn, let maxTokens, let wanted):
            fields["turn"] = "\(turn)"
            fields["max_tokens"] = "\(maxTokens)"
            fields["wanted"] = "\(wanted)"
        case .budgetUsageMissing(let turn, let charged, let why):
            fields["turn"] = "\(turn)"
            fields["charged"] = charged.description
            fields["why"] = why
        case .requestPriced(let request):
            fields["turn"] = "\(request.turn)"
            fields["model"] = request.model
            fields["input_tokens"] = "\(request.tokens.input)"
            fields["cached_tokens"] = "\(request.tokens.cachedInput)"
            fields["cache_write_tokens"] = "\(request.tokens.cacheWrite)"
            fields["output_tokens"] = "\(request.tokens.output)"
            fields["tier"] = request.tier.rawValue
            fields["cost"] = request.cost.description
            fields["reserved"] = request.reserved.description
            fields["max_tokens"] = "\(request.maxTokens)"
            fields["prompt_bound"] = request.promptBound.map { "\($0)" }
            fields["capped"] = request.capped
        case .workerStarted(let worker, let pid, let host):
            fields["worker"] = worker.rawValue
            fields["pid"] = "\(pid)"
            fields["host"] = host
        case .workerRetired(let worker, let reservations, let sessions),
            .leaseReclaimed(let worker, let reservations, let sessions):
            fields["worker"] = worker.rawValue
            fields["reservations"] = "\(reservations)"
            fields["sessions"] = "\(sessions)"
        case .pullRequestRecorded(let repository, let number, let head):
            fields["repository"] = repository
            fields["number"] = "\(number)"
            fields["head"] = head
        case .pullRequestOpened(let repository, let number, let head):
            fields["repository"] = repository
            fields["number"] = "\(number)"
            fields["head"] = head
            fields["local"] = "true"
        case .forgeIssueComment(let state, let issue):
            fields["state"] = state.rawValue
            fields["issue"] = issue
        }
        return fields.values
    }

    /// Decodes a stored event's fields.
    ///
    /// - Throws: `LedgerError.corrupt`, naming the kind and the field, when a field the kind needs
    ///   is missing or not of its type, or when a field is not one the kind has.
    public init(kind: EventKind, fields stored: [String: String]) throws {
        var fields = EventFields(stored, kind: kind)
        switch kind {
        case .sessionCreated:
            self = .sessionCreated(
                state: try fields.value("state"), agent: try fields.text("agent"), issue: try fields.value("issue"),
                reason: fields.optionalText("reason"), follows: try fields.optionalValue("follows"))
        case .sessionClaimed:
            self = .sessionClaimed(worker: try fields.value("worker"))
        case .sessionState:
            self = .sessionState(
                from: try fields.value("from"), to: try fields.value("to"), reason: fields.optionalText("reason"),
                worker: try fields.optionalValue("worker"))
        case .sessionOutputs:
            self = .sessionOutputs(
                branch: fields.optionalText("branch"), commit: fields.optionalText("commit"),
                patch: fields.optionalText("patch"), worktree: fields.optionalText("worktree"),
                pullRequest: try fields.optionalValue("pull_request"))
        case .sessionFallback:
            self = .sessionFallback(
                from: try fields.text("from"), to: try fields.text("to"), reason: try fields.text("reason"))
        case .sessionCancelRequested:
            // Events written before workers were optional here say "" for none.
            let worker = fields.optionalText("worker")
            self = .sessionCancelRequested(
                worker: try worker.flatMap { $0.isEmpty ? nil : try EventFields.parse($0, "worker", kind) },
                by: fields.optionalText("by"))
        case .sessionSteerRequested:
            self = .sessionSteerRequested(
                steering: try fields.value("steering"), message: try fields.text("message"),
                by: fields.optionalText("by"))
        case .sessionSteerRefused:
            self = .sessionSteerRefused(steering: try fields.value("steering"), reason: try fields.text("reason"))
        case .sessionSteered:
            self = .sessionSteered(turn: try fields.value("turn"), message: try fields.text("message"))
        case .sessionLimit:
            self = .sessionLimit(limit: try fields.text("limit"))
        case .sessionFinished:
            switch try fields.text("outcome") {
            case "completed": self = .sessionFinished(.completed(summary: try fields.text("summary")))
            case "stopped": self = .sessionFinished(.stopped(limit: try fields.text("limit")))
            case "cancelled": self = .sessionFinished(.cancelled)
            case "failed": self = .sessionFinished(.failed(reason: try fields.text("reason")))
            case "paused": self = .sessionFinished(.paused(reason: try fields.text("reason")))
            case let other: throw fields.invalid("outcome", other)
            }
        case .sessionSandbox:
            self = .sessionSandbox(mode: try fields.text("mode"), note: try fields.text("note"))
        case .sessionFinishingFailed:
            self = .sessionFinishingFailed(error: try fields.text("error"))
        case .modelRequest:
            self = .modelRequest(turn: try fields.value("turn"), model: try fields.text("model"))
        case .modelFailed:
            self = .modelFailed(
                turn: try fields.value("turn"), failureClass: try fields.text("class"),
                attempt: try fields.value("attempt"), message: try fields.text("message"),
                retryIn: fields.optionalText("retry_in"))
        case .modelStreamFallback:
            self = .modelStreamFallback(turn: try fields.value("turn"), reason: try fields.text("reason"))
        case .modelResponse:
            self = .modelResponse(
                turn: try fields.value("turn"), inputTokens: try fields.value("input_tokens"),
                outputTokens: try fields.value("output_tokens"),
                tokensEstimated: try fields.optionalValue("tokens_estimated") ?? false,
                toolCalls: try fields.value("tool_calls"), text: try fields.text("text"))
        case .modelTruncated:
            self = .modelTruncated(
                turn: try fields.value("turn"), finishReason: try fields.text("finish_reason"),
                next: try fields.text("next"))
        case .toolCall:
            self = .toolCall(
                turn: try fields.value("turn"), id: try fields.text("id"), tool: try fields.text("tool"),
                arguments: try fields.text("arguments"))
        case .toolResult:
            self = .toolResult(
                turn: try fields.value("turn"), id: try fields.text("id"), tool: try fields.text("tool"),
                isError: try fields.value("error"), output: try fields.text("output"))
        case .toolRefused:
            self = .toolRefused(
                turn: try fields.value("turn"), id: try fields.text("id"), tool: try fields.text("tool"),
                reason: try fields.text("reason"))
        case .mcpCall:
            self = .mcpCall(
                turn: try fields.value("turn"), id: try fields.text("id"), server: try fields.text("server"),
                tool: try fields.text("tool"), milliseconds: try fields.value("duration_ms"),
                outcome: try fields.text("outcome"))
        case .mcpServer:
            self = .mcpServer(
                server: try fields.text("server"), state: try fields.text("state"), detail: try fields.text("detail"))
        case .budgetReserved:
            self = .budgetReserved(
                reservation: try fields.value("reservation"), amount: try fields.amount("amount"),
                kind: try fields.value("kind"), model: try fields.text("model"),
                fallback: fields.optionalText("fallback"))
        case .budgetCharged:
            self = .budgetCharged(
                reservation: try fields.value("reservation"), amount: try fields.amount("amount"),
                requests: try fields.value("requests"), refunded: try fields.optionalAmount("refunded"))
        case .budgetReleased:
            self = .budgetReleased(
                reservation: try fields.value("reservation"), amount: try fields.amount("amount"),
                reason: try fields.text("reason"))
        case .budgetAlert:
            self = .budgetAlert(
                threshold: try fields.value("threshold"), used: try fields.amount("used"),
                limit: try fields.amount("limit"))
        case .budgetOutputLowered:
            self = .budgetOutputLowered(
                turn: try fields.value("turn"), maxTokens: try fields.value("max_tokens"),
                wanted: try fields.value("wanted"))
        case .budgetUsageMissing:
            self = .budgetUsageMissing(
                turn: try fields.value("turn"), charged: try fields.credits("charged"), why: try fields.text("why"))
        case .requestPriced:
            self = .requestPriced(
                PricedRequest(
                    turn: try fields.value("turn"), model: try fields.text("model"),
                    tokens: TokenCounts(
                        input: try fields.value("input_tokens"), cachedInput: try fields.value("cached_tokens"),
                        cacheWrite: try fields.value("cache_write_tokens"), output: try fields.value("output_tokens")),
                    tier: try fields.value("tier"), cost: try fields.credits("cost"),
                    reserved: try fields.credits("reserved"), maxTokens: try fields.value("max_tokens"),
                    promptBound: try fields.optionalValue("prompt_bound"), capped: fields.optionalText("capped")))
        case .workerStarted:
            self = .workerStarted(
                worker: try fields.value("worker"), pid: try fields.value("pid"), host: try fields.text("host"))
        case .workerRetired:
            self = .workerRetired(
                worker: try fields.value("worker"), reservations: try fields.value("reservations"),
                sessions: try fields.value("sessions"))
        case .leaseReclaimed:
            self = .leaseReclaimed(
                worker: try fields.value("worker"), reservations: try fields.value("reservations"),
                sessions: try fields.value("sessions"))
        case .pullRequestRecorded:
            self = .pullRequestRecorded(
                repository: try fields.text("repository"), number: try fields.value("number"),
                head: try fields.text("head"))
        case .pullRequestOpened:
            guard try fields.text("local") == "true" else { throw fields.invalid("local", "false") }
            self = .pullRequestOpened(
                repository: try fields.text("repository"), number: try fields.value("number"),
                head: try fields.text("head"))
        case .forgeIssueComment:
            self = .forgeIssueComment(state: try fields.value("state"), issue: try fields.text("issue"))
        }
        try fields.finish()
    }
}

extension EventPayload {
    /// The payload with every secret `redactor` knows replaced in its text.
    ///
    /// - Throws: `LedgerError.corrupt` if a replacement leaves a typed field unreadable (a secret
    ///   inside a number); the event is then not written rather than written with the secret.
    public func redacted(by redactor: Redactor) throws -> EventPayload {
        let fields = fields
        let redacted = redactor.redact(fields)
        return redacted == fields ? self : try EventPayload(kind: kind, fields: redacted)
    }
}
