import AgentScheduler
import AgentSchedulerLedger
import Foundation

extension AgentsPages {
    /// A session's page (`/sessions/ID`): details, outputs, the diff, the live log and controls.
    ///
    /// - `events`: the session's events, oldest first (`Ledger.events(session:after: 0)`); they
    ///   render as `<ol id="log" data-session="ID" data-last-event-id="N">` (N: the last event's
    ///   id, 0 without events), one `<li data-event-id data-kind>` per entry of
    ///   `SessionLogEntry.fold`, so the script can go on from `?after=N`.
    /// - `diff`: the patch text, or `nil` when there is none; shown in `<pre class="diff">`.
    /// - `user`: who the forms act as by default (their `as` field).
    /// - The state is `<dd id="state" data-state="STATE">`. The forms `#steer`, `#cancel` (shown
    ///   while the session is not final) and `#follow-up` (shown once it is) are all in the page;
    ///   the others carry `hidden`, and the script swaps them when the state changes.
    public static func session(
        _ summary: SessionSummary, events: [LedgerEvent], diff: String?, now: Date, user: String? = nil,
        messages: [PageMessage] = []
    ) -> HTML {
        let session = summary.session
        let title = "Session \(session.id)"
        let main: [HTML] = [
            .element(
                "h1", [:],
                .text("Session \(session.id): "),
                .element("span", ["class": "ref"], .line("\(session.repository)#\(session.issue)")),
                session.title.isEmpty
                    ? .empty : HTML(.text(" "), .element("span", ["class": "title"], .line(session.title)))),
            sessionDetails(summary, now: now),
            sessionControls(session, user: user),
            sessionOutputs(session.outputs),
            logSection(session.id, events: events),
            diffSection(diff),
        ]
        return layout(title: title, page: "session", section: nil, user: user, messages: messages, main: main)
    }

    /// `<dl class="details">`: what `sessions show` says, one term per line.
    static func sessionDetails(_ summary: SessionSummary, now: Date) -> HTML {
        let session = summary.session
        var rows: [(String, HTML)] = [
            ("Agent", .line(session.agent)),
            ("Model", modelCell(session)),
            ("Assigned by", HTML(.line(session.assigner), .text(" in "), .line(session.org))),
            ("Spent", .line(summary.spent + " over \(summary.modelRequests) model requests")),
            (
                "Created",
                HTML(
                    .element("time", ["datetime": iso(session.createdAt)], .text(iso(session.createdAt))),
                    .text(" ("), age(since: session.createdAt, now: now), .text(" ago)"))
            ),
            ("Updated", .element("time", ["datetime": iso(session.updatedAt)], .text(iso(session.updatedAt)))),
        ]
        if let reason = session.reason, !reason.isEmpty { rows.append(("Reason", .text(reason))) }
        if let follows = session.follows {
            rows.append(("Follows", .element("a", ["href": "/sessions/\(follows)"], .text("session \(follows)"))))
        }
        if let feedback = session.feedback {
            rows.append(("Feedback", .element("pre", ["class": "feedback"], .text(feedback))))
        }
        if summary.tokens != .zero {
            let tokens = summary.tokens
            rows.append(
                (
                    "Tokens",
                    .text(
                        "\(tokens.input) in, \(tokens.cachedInput) cached, \(tokens.cacheWrite) cache-write, "
                            + "\(tokens.output) out")
                ))
        }
        if let limit = session.premiumLimit { rows.append(("Cap", .text(limit.counted))) }
        if let limit = session.creditLimit { rows.append(("Cap", .text(limit.amount.counted))) }
        if let worker = session.worker { rows.append(("Worker", .line(worker.rawValue))) }
        if let started = session.startedAt {
            rows.append(("Started", .element("time", ["datetime": iso(started)], .text(iso(started)))))
        }
        if let finished = session.finishedAt {
            rows.append(("Finished", .element("time", ["datetime": iso(finished)], .text(iso(finished)))))
        }
        if let asked = session.cancelRequestedAt {
            rows.append(("Cancel", .text("requested at \(iso(asked))")))
        }
        var items: [HTML] = [
            .element("dt", [:], .text("State")),
            .element(
                "dd", ["id": "state", "data-state": session.state.rawValue],
                stateBadge(session.state, reason: session.reason)),
        ]
        for (term, value) in rows {
            items += [.element("dt", [:], .text(term)), .element("dd", [:], value)]
        }
        var parts: [HTML] = [.element("h2", [:], .text("Details")), .element("dl", ["class": "details"], items)]
        if !session.body.isEmpty {
            parts.append(
                .element(
                    "details", ["class": "issue-body"],
                    .element("summary", [:], .text("The issue")),
                    .element("pre", ["class": "body"], .text(session.body))))
        }
        return .element("section", ["id": "details", "aria-label": "Details"], parts)
    }

    /// The steer, cancel and follow-up forms; those that do not apply in the session's state are `hidden`.
    static func sessionControls(_ session: SessionRecord, user: String?) -> HTML {
        let isFinal = session.state.isFinal
        let base = "/sessions/\(session.id)"
        func asField() -> HTML {
            HTML.element(
                "label", ["class": "as"], .text("as "),
                .element("input", ["type": "text", "name": "as", "value": user ?? "", "autocomplete": "username"]))
        }
        let steer = HTML.element(
            "form",
            [
                "id": "steer", "method": "post", "action": base + "/steer", "data-when": "active",
                "hidden": isFinal ? "" : nil,
            ],
            [
                .element("label", ["for": "steer-message"], .text("Steer the session")),
                .element("textarea", ["id": "steer-message", "name": "message", "rows": "3", "required": ""]),
                asField(),
                .element("button", ["type": "submit"], .text("Send")),
            ])
        let cancel = HTML.element(
            "form",
            [
                "id": "cancel", "method": "post", "action": base + "/cancel", "data-when": "active",
                "hidden": isFinal ? "" : nil,
            ],
            [asField(), .element("button", ["type": "submit", "class": "danger"], .text("Cancel session"))])
        let followUp = HTML.element(
            "form",
            [
                "id": "follow-up", "method": "post", "action": base + "/follow-up", "data-when": "final",
                "hidden": isFinal ? nil : "",
            ],
            [
                .element("label", ["for": "follow-up-message"], .text("Follow up on the same branch")),
                .element("textarea", ["id": "follow-up-message", "name": "message", "rows": "3", "required": ""]),
                asField(),
                .element("button", ["type": "submit"], .text("Start follow-up")),
            ])
        return .element(
            "section", ["id": "controls", "aria-label": "Controls"], .element("h2", [:], .text("Controls")), steer,
            cancel, followUp)
    }

    /// Branch, commit, pull request and summary, when the session left them.
    static func sessionOutputs(_ outputs: SessionOutputs) -> HTML {
        var items: [HTML] = []
        func add(_ term: String, _ value: HTML) {
            items += [.element("dt", [:], .text(term)), .element("dd", [:], value)]
        }
        if let branch = outputs.branch { add("Branch", .element("code", [:], .line(branch))) }
        if let commit = outputs.commit {
            add("Commit", .element("code", ["title": commit], .line(String(commit.prefix(12)))))
        }
        if let pull = outputs.pullRequest { add("Pull request", pullRequest(pull)) }
        if let summary = outputs.summary, !summary.isEmpty {
            add("Summary", .element("pre", ["class": "summary"], .text(summary)))
        }
        let content: HTML =
            items.isEmpty
            ? .element("p", ["class": "empty"], .text("No outputs yet.")) : .element("dl", ["class": "outputs"], items)
        return .element(
            "section", ["id": "outputs", "aria-label": "Outputs"], .element("h2", [:], .text("Outputs")), content)
    }

    /// `<pre class="diff">` with one `<span>` per line: `add`, `del`, `hunk` or `meta` (file headers).
    static func diffSection(_ diff: String?) -> HTML {
        guard let diff, !diff.isEmpty else {
            return .element(
                "section", ["id": "diff", "aria-label": "Diff"], .element("h2", [:], .text("Diff")),
                .element("p", ["class": "empty"], .text("No changes.")))
        }
        var lines: [HTML] = []
        for line in HTML.normalizingLineBreaks(diff).split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            let kind: String? =
                text.hasPrefix("+++") || text.hasPrefix("---") || text.hasPrefix("diff ") || text.hasPrefix("index ")
                ? "meta"
                : text.hasPrefix("+") ? "add" : text.hasPrefix("-") ? "del" : text.hasPrefix("@@") ? "hunk" : nil
            lines.append(.element("span", ["class": kind.map { "line " + $0 } ?? "line"], .line(text), .text("\n")))
        }
        return .element(
            "section", ["id": "diff", "aria-label": "Diff"], .element("h2", [:], .text("Diff")),
            .element("pre", ["class": "diff"], lines))
    }

    /// The live log: `<ol id="log">`, one `<li>` per folded entry.
    static func logSection(_ session: SessionID, events: [LedgerEvent]) -> HTML {
        let last = events.map(\.id).max() ?? 0
        return .element(
            "section", ["id": "live", "aria-label": "Log"],
            .element("h2", [:], .text("Log")),
            .element(
                "ol",
                ["id": "log", "data-session": "\(session)", "data-last-event-id": "\(last)", "aria-live": "polite"],
                SessionLogEntry.fold(events).map(logItem)))
    }

    /// One log entry: an event's readable line, or a tool call as `<details>` with the call as
    /// `<summary>` and its arguments, output and records inside.
    ///
    /// A plain event: `<li data-event-id data-kind><span class="line">LINE</span></li>`. A call:
    /// `<li data-event-id data-kind="tool.call" data-call="ID" data-status="running|ok|error|refused">`
    /// with `summary > span.tool, span.call-args, span.status`, then `pre.arguments`, `pre.output`
    /// (the result's output, or the refusal's reason) and `p.record` per MCP record.
    public static func logItem(_ entry: SessionLogEntry) -> HTML {
        switch entry {
        case .event(let event):
            return .element(
                "li", ["data-event-id": "\(event.id)", "data-kind": event.kind.rawValue],
                .element("span", ["class": "line"], .text(event.line)))
        case .toolCall(let call, let outcome, let records):
            guard case .toolCall(_, let id, let tool, let arguments) = call.payload else {
                return logItem(.event(call))
            }
            let status: String
            var inside: [HTML] = [.element("pre", ["class": "arguments"], .text(arguments))]
            switch outcome?.payload {
            case .toolRefused(_, _, _, let reason):
                status = "refused"
                inside.append(.element("pre", ["class": "output refused"], .text(reason)))
            case .toolResult(_, _, _, let isError, let output):
                status = isError ? "error" : "ok"
                inside.append(.element("pre", ["class": isError ? "output error" : "output"], .text(output)))
            default:
                status = "running"
            }
            inside += records.map { HTML.element("p", ["class": "record"], .line($0.line)) }
            let summary = HTML.element(
                "summary", [:],
                .element("time", ["datetime": iso(call.at)], .text(timeOfDay(call.at))), .text(" "),
                .element("span", ["class": "tool"], .line(tool)), .text(" "),
                .element("span", ["class": "call-args"], .line(String(arguments.prefix(120)))), .text(" "),
                .element("span", ["class": "status"], .text(status)))
            return .element(
                "li",
                [
                    "data-event-id": "\(call.id)", "data-kind": call.kind.rawValue, "data-call": id,
                    "data-status": status, "data-outcome-event-id": outcome.map { "\($0.id)" },
                ],
                .element("details", ["class": "tool-call"], [summary] + inside))
        }
    }

    /// `14:05:09`, in UTC: the time of a call's summary.
    static func timeOfDay(_ date: Date) -> String {
        let text = iso(date)
        guard let t = text.firstIndex(of: "T") else { return text }
        return String(text[text.index(after: t)...].prefix(8))
    }
}
