import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import Testing

/// A session's log folds each tool call with its outcome, paired by the call's id.
@Suite("The session log folds tool calls")
struct PageLogTests {
    typealias Step = (kind: EventKind, id: String?)

    /// Events in order, and the entries they fold into: `call:ID[+OUTCOME-EVENT-ID...]` or `event:EVENT-ID`.
    static let cases: [([Step], [String])] = [
        ([(.toolCall, "a"), (.toolResult, "a")], ["call:1+2"]),
        (
            [(.toolCall, "a"), (.toolCall, "b"), (.toolResult, "b"), (.toolResult, "a")],
            ["call:1+4", "call:2+3"]
        ),
        ([(.toolResult, "x"), (.toolCall, "a")], ["event:1", "call:2"]),
        ([(.toolCall, "a"), (.modelResponse, nil), (.toolRefused, "a")], ["call:1+3", "event:2"]),
        ([(.toolCall, "a"), (.toolResult, "a"), (.mcpCall, "a")], ["call:1+2,3"]),
        ([(.toolCall, "a"), (.toolResult, "a"), (.toolResult, "a")], ["call:1+2", "event:3"]),
        ([(.toolCall, "a"), (.toolResult, "b")], ["call:1", "event:2"]),
        ([(.sessionState, nil), (.toolCall, "a"), (.sessionSteered, nil)], ["event:1", "call:2", "event:3"]),
    ]

    static func events(_ steps: [Step]) -> [LedgerEvent] {
        steps.enumerated().map { index, step in
            let id = step.id ?? ""
            let payload: EventPayload =
                switch step.kind {
                case .toolCall: .toolCall(turn: 1, id: id, tool: "read", arguments: "{}")
                case .toolResult: .toolResult(turn: 1, id: id, tool: "read", isError: false, output: "out \(index + 1)")
                case .toolRefused: .toolRefused(turn: 1, id: id, tool: "read", reason: "not allowed")
                case .mcpCall: .mcpCall(turn: 1, id: id, server: "docs", tool: "read", milliseconds: 5, outcome: "ok")
                case .modelResponse:
                    .modelResponse(
                        turn: 1, inputTokens: 10, outputTokens: 2, tokensEstimated: false, toolCalls: 0, text: "")
                case .sessionSteered: .sessionSteered(turn: 1, message: "go on")
                default: .sessionState(from: .queued, to: .running, reason: nil, worker: nil)
                }
            return PageFixtures.event(Int64(index + 1), payload)
        }
    }

    static func describe(_ entry: SessionLogEntry) -> String {
        switch entry {
        case .event(let event):
            return "event:\(event.id)"
        case .toolCall(let call, let outcome, let records):
            let after = ([outcome].compactMap { $0 } + records).map { "\($0.id)" }
            return "call:\(call.id)" + (after.isEmpty ? "" : "+" + after.joined(separator: ","))
        }
    }

    @Test("calls and outcomes pair by id", arguments: cases)
    func folding(steps: [Step], expected: [String]) {
        #expect(SessionLogEntry.fold(Self.events(steps)).map(Self.describe) == expected)
    }

    @Test("a folded call renders as one <details>: the call as <summary>, arguments and output inside")
    func rendering() throws {
        let events = PageFixtures.events(text: "hello")
        let page = AgentsPages.session(
            PageFixtures.session(), events: events, diff: PageFixtures.diff, now: PageFixtures.now)
        let parsed = try PageMarkup(page.markup)
        let log = try #require(parsed.opening("ol").first { $0.value("id") == "log" })
        #expect(log.value("data-session") == "7")
        #expect(log.value("data-last-event-id") == "5")
        let items = parsed.opening("li").filter { $0.value("data-event-id") != nil }
        #expect(items.map { $0.value("data-event-id") } == ["1", "2", "3", "5"])
        #expect(
            items.map { $0.value("data-kind") }
                == [EventKind.sessionState, .modelResponse, .toolCall, .sessionSteered].map(\.rawValue))
        let call = try #require(items.first { $0.value("data-kind") == EventKind.toolCall.rawValue })
        #expect(call.value("data-call") == "call-1")
        #expect(call.value("data-status") == "ok")
        #expect(call.value("data-outcome-event-id") == "4")
        #expect(parsed.opening("details").filter { $0.value("class") == "tool-call" }.count == 1)
        #expect(parsed.opening("pre").contains { $0.value("class") == "arguments" })
        #expect(parsed.opening("pre").contains { $0.value("class") == "output" })
    }

    @Test(
        "the diff's lines are classed",
        arguments: [
            ("+let b = 3", "line add"), ("-let b = 2", "line del"), ("@@ -1,2 +1,2 @@", "line hunk"),
            ("+++ b/x.swift", "line meta"), (" let a = 1", "line"),
        ])
    func diffLines(line: String, expected: String) throws {
        let page = AgentsPages.session(
            PageFixtures.session(), events: [], diff: PageFixtures.diff, now: PageFixtures.now)
        #expect(page.markup.contains("<span class=\"\(expected)\">\(line)\n</span>"))
        let parsed = try PageMarkup(page.markup)
        #expect(parsed.opening("pre").contains { $0.value("class") == "diff" })
        #expect(parsed.opening("ol").first { $0.value("id") == "log" }?.value("data-last-event-id") == "0")
    }

    @Test("the forms shown follow the state", arguments: SessionState.allCases)
    func controls(state: SessionState) throws {
        let page = AgentsPages.session(
            PageFixtures.session(state: state), events: [], diff: nil, now: PageFixtures.now, user: "alice",
            messages: [.notice("message 3 queued")])
        let parsed = try PageMarkup(page.markup)
        let forms = Dictionary(
            uniqueKeysWithValues: parsed.opening("form").compactMap { tag in tag.value("id").map { ($0, tag) } })
        for id in ["steer", "cancel", "follow-up"] {
            let form = try #require(forms[id])
            #expect(form.value("method") == "post")
            #expect(form.value("action") == "/sessions/7/\(id)")
            let hidden = form.attributes.contains { $0.name == "hidden" }
            #expect(hidden == (id == "follow-up" ? !state.isFinal : state.isFinal))
        }
        #expect(parsed.opening("textarea").filter { $0.value("name") == "message" }.count == 2)
        #expect(parsed.opening("input").filter { $0.value("name") == "as" && $0.value("value") == "alice" }.count == 3)
        #expect(page.markup.contains(#"<p class="notice" role="status">message 3 queued</p>"#))
        let dd = try #require(parsed.opening("dd").first { $0.value("id") == "state" })
        #expect(dd.value("data-state") == state.rawValue)
    }
}
