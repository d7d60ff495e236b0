import AgentScheduler
import AgentSchedulerLedger
import Foundation

extension AgentsPages {
    /// The sessions board (`/`): every session, grouped by `SessionGroup`.
    ///
    /// Each group is a `<section class="group" id="GROUP">` whose table body is
    /// `<tbody id="group-GROUP" data-states="running throttled" data-order="asc|desc">`; active and
    /// waiting sessions are listed oldest first, finished ones newest first. Each row is
    /// `<tr id="session-ID" data-state="STATE" data-session="ID">` (see `sessionRow`). `now` dates
    /// the ages; the script keeps them ticking and updates rows live from `/api/v1/events`.
    public static func board(
        _ sessions: [SessionSummary], now: Date, user: String? = nil, messages: [PageMessage] = []
    ) -> HTML {
        var sections: [HTML] = [heading("Sessions")]
        for group in SessionGroup.allCases {
            var members = sessions.filter { SessionGroup($0.session.state) == group }
            members.sort { group == .finished ? $0.session.id > $1.session.id : $0.session.id < $1.session.id }
            let table = HTML.element(
                "table", ["class": "sessions"],
                [
                    .element("caption", ["data-title": group.title], .text("\(group.title) (\(members.count))")),
                    boardHeader,
                    .element(
                        "tbody",
                        [
                            "id": "group-\(group.rawValue)",
                            "data-states": group.states.map(\.rawValue).joined(separator: " "),
                            "data-order": group == .finished ? "desc" : "asc",
                        ],
                        members.map { sessionRow($0, now: now) }),
                ])
            sections.append(
                .element(
                    "section", ["class": "group", "id": group.rawValue, "aria-label": group.title],
                    [.element("h2", [:], .text(group.title)), table]))
        }
        if sessions.isEmpty {
            sections.append(
                .element(
                    "p", ["class": "empty"],
                    .text("No sessions yet. "), .element("a", ["href": "/new"], .text("Start a task."))))
        }
        return layout(
            title: "Sessions", page: "board", section: .sessions, user: user, messages: messages, main: sections)
    }

    /// The board's column headings.
    static let boardHeader = HTML.element(
        "thead", [:],
        .element(
            "tr", [:],
            ["Issue", "Agent", "Model", "State", "Cost", "Pull request", "Age"].map {
                HTML.element("th", ["scope": "col", "class": $0 == "Cost" || $0 == "Age" ? "number" : nil], .text($0))
            }))

    /// One board row: `<tr id="session-ID" data-state="STATE" data-session="ID">` with the cells
    /// `td.issue` (a link to `/sessions/ID`: `repo#N` and the title), `td.agent`, `td.model` (the
    /// actual model, marked, when it fell back), `td.state`, `td.cost` (`SessionSummary.figure`),
    /// `td.pull` and `td.age`.
    public static func sessionRow(_ summary: SessionSummary, now: Date) -> HTML {
        let session = summary.session
        let issue = HTML.element(
            "a", ["href": "/sessions/\(session.id)"],
            .element("span", ["class": "ref"], .line("\(session.repository)#\(session.issue)")),
            session.title.isEmpty
                ? .empty : HTML(.text(" "), .element("span", ["class": "title"], .line(session.title))))
        return .element(
            "tr",
            ["id": "session-\(session.id)", "data-state": session.state.rawValue, "data-session": "\(session.id)"],
            [
                .element("td", ["class": "issue"], issue),
                .element("td", ["class": "agent"], .line(session.agent)),
                .element("td", ["class": "model"], modelCell(session)),
                .element("td", ["class": "state"], stateBadge(session.state, reason: session.reason)),
                .element("td", ["class": "cost"], .line(summary.figure)),
                .element("td", ["class": "pull"], pullRequest(session.outputs.pullRequest)),
                .element("td", ["class": "age"], age(since: session.createdAt, now: now)),
            ])
    }

    /// The model, or the actual model with the asked one struck through when it fell back.
    static func modelCell(_ session: SessionRecord) -> HTML {
        guard let actual = session.actualModel, actual != session.model else { return .line(session.model) }
        return HTML(
            .element("span", ["class": "actual", "title": "fell back from \(session.model)"], .line(actual)),
            .text(" "), .element("s", ["class": "asked"], .line(session.model)))
    }

    /// `<span class="badge" data-state="STATE">STATE</span>`, with the reason as its title.
    static func stateBadge(_ state: SessionState, reason: String?) -> HTML {
        .element("span", ["class": "badge", "data-state": state.rawValue, "title": reason], .text(state.rawValue))
    }

    /// A link to the pull request, or its URL as text when it is no web address (`local:…`).
    static func pullRequest(_ link: PullRequestLink?) -> HTML {
        guard let link else { return .text("–") }
        let label = HTML.line("#\(link.number)")
        let lower = link.url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), HTML.isSafeURL(link.url) else {
            return .element("span", ["class": "local"], .line(link.url))
        }
        return .element("a", ["href": link.url, "rel": "noreferrer noopener", "title": link.url], label)
    }
}
