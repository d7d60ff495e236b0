import AgentSchedulerCore
import AgentSchedulerLedger
import Testing

/// Event payloads: every kind round-trips through its stored fields, and stored fields that do
/// not fit their kind throw instead of being guessed.
@Suite("Event payloads: typed by kind, stored as fields, read back or refused")
struct EventPayloadTests {
    static let credits = AICredits(nanocredits: 236_500_000)

    /// One payload of every kind, with every optional field set where there is one.
    static let samples: [EventPayload] = [
        .sessionCreated(state: .queued, agent: "fixer", issue: 12, reason: "routed by label bug", follows: 3),
        .sessionCreated(state: .denied, agent: "fixer", issue: 12, reason: nil, follows: nil),
        .sessionClaimed(worker: "host-1-42"),
        .sessionState(from: .queued, to: .running, reason: nil, worker: "host-1-42"),
        .sessionState(from: .running, to: .failed, reason: "the model server is down", worker: nil),
        .sessionOutputs(
            branch: "agentsched/12-fixer-1", commit: String(repeating: "a", count: 40), patch: "1.patch",
            worktree: nil, pullRequest: 7),
        .sessionFallback(from: "gpt-5.4", to: "gpt-4.1", reason: "75% of the budget is spent"),
        .sessionCancelRequested(worker: "host-1-42", by: "alice"),
        .sessionCancelRequested(worker: nil, by: nil),
        .sessionSteerRequested(steering: 4, message: "also fix the docs", by: "alice"),
        .sessionSteerRefused(steering: 4, reason: "the budget is spent"),
        .sessionSteered(turn: 3, message: "also fix the docs"),
        .sessionLimit(limit: "turns"),
        .sessionFinished(.completed(summary: "Fixed the parser.")),
        .sessionFinished(.stopped(limit: "tool-calls")),
        .sessionFinished(.cancelled),
        .sessionFinished(.failed(reason: "the model answered nothing")),
        .sessionFinished(.paused(reason: "the ledger cannot be reached")),
        .sessionSandbox(mode: "bubblewrap", note: "network off"),
        .sessionFinishingFailed(error: "git commit failed"),
        .modelRequest(turn: 1, model: "gpt-5.4"),
        .modelFailed(
            turn: 2, failureClass: "rate-limited", attempt: 1, message: "429 Too Many Requests", retryIn: "2.0 seconds"),
        .modelFailed(turn: 2, failureClass: "server", attempt: 3, message: "500", retryIn: nil),
        .modelStreamFallback(turn: 1, reason: "the stream ended without a finish"),
        .modelResponse(turn: 1, inputTokens: 1200, outputTokens: 310, tokensEstimated: true, toolCalls: 2, text: "ok"),
        .modelResponse(turn: 1, inputTokens: 0, outputTokens: 0, tokensEstimated: false, toolCalls: 0, text: ""),
        .modelTruncated(turn: 4, finishReason: "length", next: "asking to continue"),
        .toolCall(turn: 1, id: "call-1", tool: "read", arguments: "{\"path\": \"a \\\"b\\\"\\n\"}"),
        .toolResult(turn: 1, id: "call-1", tool: "read", isError: true, output: "no such file"),
        .toolRefused(turn: 1, id: "call-2", tool: "execute", reason: "not in the agent's tools"),
        .mcpCall(turn: 2, id: "call-3", server: "changelog", tool: "add_entry", milliseconds: 41, outcome: "ok"),
        .mcpServer(server: "changelog", state: "ready", detail: "2 tools"),
        .budgetReserved(
            reservation: 9, amount: PremiumRequests(1).amount, kind: .request, model: "gpt-5.4", fallback: "gpt-4.1"),
        .budgetReserved(reservation: 9, amount: credits.amount, kind: .session, model: "gpt-5.4", fallback: nil),
        .budgetCharged(
            reservation: 9, amount: PremiumRequests(thousandths: 330).amount, requests: 1,
            refunded: PremiumRequests(thousandths: 670).amount),
        .budgetCharged(reservation: 9, amount: credits.amount, requests: 1, refunded: nil),
        .budgetReleased(reservation: 9, amount: credits.amount, reason: "worker host-1-42 stopped"),
        .budgetAlert(threshold: 75, used: PremiumRequests(75).amount, limit: PremiumRequests(100).amount),
        .budgetAlert(threshold: 90, used: AICredits(90).amount, limit: AICredits(100).amount),
        .budgetOutputLowered(turn: 2, maxTokens: 1024, wanted: 8192),
        .budgetUsageMissing(turn: 2, charged: credits, why: "the answer carried no usage"),
        .requestPriced(
            PricedRequest(
                turn: 1, model: "gpt-5.4",
                tokens: TokenCounts(input: 1200, cachedInput: 800, cacheWrite: 0, output: 310),
                tier: .standard, cost: credits, reserved: AICredits(1), maxTokens: 4096, promptBound: 2000,
                capped: "the reported usage costs more than the reserved worst case")),
        .workerStarted(worker: "host-1-42", pid: 42, host: "host-1"),
        .workerRetired(worker: "host-1-42", reservations: 1, sessions: 2),
        .leaseReclaimed(worker: "host-1-42", reservations: 0, sessions: 1),
        .pullRequestRecorded(repository: "acme/api", number: 7, head: "agentsched/12-fixer-1"),
        .pullRequestOpened(repository: "acme/api", number: 8, head: "agentsched/13-fixer-2"),
        .forgeIssueComment(state: .blocked, issue: "acme/api#12"),
    ]

    @Test("every kind has a payload here, so a new kind cannot go untested")
    func everyKindIsCovered() {
        #expect(Set(Self.samples.map(\.kind)) == Set(EventKind.allCases))
    }

    @Test("a payload reads back from its stored fields unchanged", arguments: samples)
    func roundTrip(payload: EventPayload) throws {
        #expect(try EventPayload(kind: payload.kind, fields: payload.fields) == payload)
    }

    @Test("the stored fields keep the names and forms logs and JSON readers know")
    func storedForm() {
        #expect(
            EventPayload.budgetCharged(
                reservation: 9, amount: PremiumRequests(thousandths: 330).amount, requests: 1,
                refunded: PremiumRequests(thousandths: 670).amount
            ).fields == ["reservation": "9", "amount": "0.33", "requests": "1", "refunded": "0.67"])
        #expect(
            EventPayload.budgetReleased(reservation: 9, amount: Self.credits.amount, reason: "r").fields == [
                "reservation": "9", "amount": "0.2365", "unit": "ai-credits", "reason": "r",
            ])
        #expect(
            EventPayload.sessionState(from: .queued, to: .running, reason: nil, worker: nil).fields == [
                "from": "queued", "to": "running",
            ])
        #expect(
            EventPayload.modelResponse(
                turn: 1, inputTokens: 5, outputTokens: 2, tokensEstimated: false, toolCalls: 0, text: "hi"
            ).fields == ["turn": "1", "input_tokens": "5", "output_tokens": "2", "tool_calls": "0", "text": "hi"])
    }

    @Test(
        "stored fields that do not fit their kind throw, naming the kind and the field",
        arguments: [
            (EventKind.sessionState, ["to": "running"], "session.state event has no from"),
            (.sessionState, ["from": "queued", "to": "sleeping"], "session.state event's to 'sleeping' is not valid"),
            (.sessionState, ["from": "queued", "to": "running", "colour": "red"], "field it does not know: 'colour'"),
            (.toolResult, ["turn": "1", "id": "c", "tool": "read", "error": "maybe", "output": ""], "error 'maybe'"),
            (.modelRequest, ["turn": "one", "model": "m"], "turn 'one' is not valid"),
            (.budgetCharged, ["reservation": "9", "amount": "1.5", "requests": "1", "unit": "euros"], "unit 'euros'"),
            (.budgetCharged, ["reservation": "9", "amount": "0.0001", "requests": "1"], "amount '0.0001'"),
            (.budgetReserved, ["reservation": "-1", "amount": "1", "kind": "request", "model": "m"], "reservation"),
            (.sessionFinished, ["outcome": "exploded"], "outcome 'exploded'"),
            (.sessionFinished, ["outcome": "completed"], "has no summary"),
            (.sessionClaimed, ["worker": ""], "worker '' is not valid"),
            (.pullRequestOpened, ["repository": "a/b", "number": "1", "head": "h"], "has no local"),
        ])
    func refused(kind: EventKind, fields: [String: String], message: String) {
        #expect {
            try EventPayload(kind: kind, fields: fields)
        } throws: { error in
            guard case LedgerError.corrupt(let what) = error else { return false }
            return what.contains(message)
        }
    }

    @Test("events written before this form still read: a release in credits without its unit, a cancel with no worker")
    func olderForms() throws {
        #expect(
            try EventPayload(kind: .budgetReleased, fields: ["reservation": "9", "amount": "0.2365", "reason": "r"])
                == .budgetReleased(reservation: 9, amount: Self.credits.amount, reason: "r"))
        #expect(
            try EventPayload(kind: .sessionCancelRequested, fields: ["worker": "", "by": "alice"])
                == .sessionCancelRequested(worker: nil, by: "alice"))
    }

    @Test("redaction replaces secrets in the text of a payload and keeps its type")
    func redaction() throws {
        let redactor = Redactor(secrets: ["sk-live-0123456789abcdef"])
        let payload = EventPayload.toolResult(
            turn: 3, id: "call-1", tool: "execute", isError: false, output: "KEY=sk-live-0123456789abcdef")
        let redacted = try payload.redacted(by: redactor)
        guard case .toolResult(3, "call-1", "execute", false, let output) = redacted else {
            Issue.record("\(redacted)")
            return
        }
        #expect(!output.contains("sk-live-0123456789abcdef"))
        #expect(output.hasPrefix("KEY="))
    }
}
