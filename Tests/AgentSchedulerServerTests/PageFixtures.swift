import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import Testing

/// Sessions, events, reports and forms for the page tests, with `text` in every field that comes
/// from outside: issue title and body, model output, tool output, user names.
enum PageFixtures {
    /// Text an attacker controls, as the tests feed it to every page.
    static let hostile = [
        "<img src=x onerror=alert(1)>",
        "\"><script>alert(1)</script>",
        "' onmouseover='x",
        "\u{1B}[31mred\u{1B}[0m",
    ]

    static let now = Date(timeIntervalSince1970: 1_796_300_000)

    /// How a hostile text must appear in the markup: escaped, ESC made visible.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\u{1B}": result += "␛"
            default: result.append(character)
            }
        }
        return result
    }

    static func session(
        id: SessionID = 7, state: SessionState = .running, text: String = "fix the parser", user: String = "alice",
        pullRequest: PullRequestLink? = nil
    ) -> SessionSummary {
        let record = SessionRecord(
            id: id, org: "acme", repository: "acme/web", issue: 12, title: text, agent: "fixer", assigner: user,
            model: "gpt-5", state: state, reason: state == .failed ? text : nil,
            createdAt: now.addingTimeInterval(-125), updatedAt: now, body: "The body: \(text)",
            actualModel: "gpt-4.1", startedAt: now.addingTimeInterval(-100),
            outputs: SessionOutputs(
                branch: "agentsched/12-fixer-\(id)", commit: "0123456789abcdef", summary: "Done: \(text)",
                pullRequest: pullRequest),
            feedback: text)
        return SessionSummary(session: record, premiumRequests: PremiumRequests(thousandths: 1330), modelRequests: 2)
    }

    static func event(_ id: Int64, _ payload: EventPayload) -> LedgerEvent {
        LedgerEvent(id: id, session: 7, org: "acme", at: now.addingTimeInterval(Double(id)), payload: payload)
    }

    /// A session's events: a state change, a model answer, a folded tool call, a steer.
    static func events(text: String) -> [LedgerEvent] {
        [
            event(1, .sessionState(from: .queued, to: .running, reason: nil, worker: nil)),
            event(
                2,
                .modelResponse(
                    turn: 1, inputTokens: 1200, outputTokens: 310, tokensEstimated: false, toolCalls: 1, text: text)),
            event(3, .toolCall(turn: 1, id: "call-1", tool: "read", arguments: "{\"path\": \"\(text)\"}")),
            event(4, .toolResult(turn: 1, id: "call-1", tool: "read", isError: false, output: text)),
            event(5, .sessionSteered(turn: 2, message: text)),
        ]
    }

    static let diff = """
        diff --git a/x.swift b/x.swift
        --- a/x.swift
        +++ b/x.swift
        @@ -1,2 +1,2 @@
         let a = 1
        -let b = 2
        +let b = 3
        """

    static func usage(text: String) -> (UsageReport, [DailySpend], [BudgetLine]) {
        let range = ReportRange(from: now.addingTimeInterval(-3 * 86_400), until: now)
        let rows = [
            UsageRow(
                values: ["acme", text, "2026-12-01"], sessions: 1, modelRequests: 3,
                premiumRequests: PremiumRequests(thousandths: 2500)),
            UsageRow(
                values: ["acme", "bob", "2026-12-02"], sessions: 1, modelRequests: 1,
                premiumRequests: PremiumRequests(thousandths: 500)),
        ]
        let report = UsageReport(range: range, dimensions: [.org, .user, .day], rows: rows, sessions: 2)
        let scopes = [
            BudgetScope(
                kind: .org, name: "acme", limit: PremiumRequests(100).amount, periodStart: range.from,
                periodEnd: now.addingTimeInterval(86_400)),
            BudgetScope(
                kind: .user, name: "acme/\(text)", limit: PremiumRequests(10).amount, periodStart: range.from,
                periodEnd: now.addingTimeInterval(86_400)),
        ]
        let budgets = [
            BudgetLine(
                scope: scopes[0],
                usage: ScopeUsage(used: PremiumRequests(3).amount, reserved: PremiumRequests(1).amount)),
            BudgetLine(
                scope: scopes[1],
                usage: ScopeUsage(used: PremiumRequests(thousandths: 2500).amount, reserved: .zero(.premiumRequests))),
        ]
        return (report, DailySpend.from(report), budgets)
    }

    static func options(text: String) -> NewTaskOptions {
        NewTaskOptions(
            repositories: ["acme/web", "acme/\(text)"],
            agents: [.init(handle: "fixer", name: text, model: "gpt-5")],
            models: [.init(org: "acme", models: ["gpt-5", text])])
    }

    /// The pages the escaping tests render.
    enum Page: String, CaseIterable, CustomTestStringConvertible {
        case board, session, finishedSession, newTask, usage, login, error

        var testDescription: String { rawValue }

        func render(_ text: String) -> String {
            switch self {
            case .board:
                return AgentsPages.board(
                    [
                        PageFixtures.session(id: 1, state: .running, text: text, user: text),
                        PageFixtures.session(
                            id: 2, state: .failed, text: text, pullRequest: PullRequestLink(number: 3, url: text)),
                    ], now: now, user: text, messages: [.notice(text), .error(text)]
                ).markup
            case .session:
                return AgentsPages.session(
                    PageFixtures.session(text: text, user: text), events: PageFixtures.events(text: text),
                    diff: diff + "\n+" + text, now: now,
                    user: text, messages: [.notice(text)]
                ).markup
            case .finishedSession:
                return AgentsPages.session(
                    PageFixtures.session(state: .completed, text: text, user: text),
                    events: PageFixtures.events(text: text), diff: nil,
                    now: now, user: text, messages: [.error(text)]
                ).markup
            case .newTask:
                let form = NewTaskForm(
                    repository: text, issues: text, label: text, title: text, body: text, agent: text, model: text,
                    user: text)
                return AgentsPages.newTask(
                    form, options: PageFixtures.options(text: text), estimate: "#12 fixer would queue: \(text)",
                    user: text,
                    messages: [.error(text)]
                ).markup
            case .usage:
                let (report, spend, budgets) = PageFixtures.usage(text: text)
                return AgentsPages.usage(report, spend: spend, budgets: budgets, now: now, user: text).markup
            case .login:
                return AgentsPages.login(error: text, next: "/sessions/\(text)").markup
            case .error:
                return AgentsPages.error(status: 404, message: text, user: text).markup
            }
        }
    }
}
