import AgentScheduler
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import Testing

/// The sessions board groups sessions by state and shows each row's cells.
@Suite("The sessions board")
struct PageBoardTests {
    static let expectedGroup: [SessionState: String] = [
        .running: "active", .throttled: "active", .queued: "waiting", .blocked: "waiting", .interrupted: "waiting",
        .completed: "finished", .failed: "finished", .cancelled: "finished", .timedOut: "finished", .denied: "finished",
    ]

    /// The group whose `<tbody>` holds `tr#session-ID`.
    static func group(of id: Int64, in markup: String) throws -> String? {
        let parsed = try PageMarkup(markup)
        let row = try #require(parsed.opening("tr").first { $0.value("id") == "session-\(id)" })
        let bodies = parsed.tags.filter { $0.name == "tbody" }
        var open: String?
        for tag in bodies where tag.offset < row.offset {
            open = tag.closing ? nil : tag.value("id")
        }
        return open
    }

    @Test("each state goes to its group", arguments: SessionState.allCases)
    func grouping(state: SessionState) throws {
        let sessions = SessionState.allCases.enumerated().map { index, state in
            PageFixtures.session(id: SessionID(Int64(index + 1)), state: state)
        }
        let markup = AgentsPages.board(sessions, now: PageFixtures.now).markup
        let id = Int64((SessionState.allCases.firstIndex(of: state) ?? 0) + 1)
        #expect(try Self.group(of: id, in: markup) == "group-\(Self.expectedGroup[state] ?? "")")
        let parsed = try PageMarkup(markup)
        let row = try #require(parsed.opening("tr").first { $0.value("id") == "session-\(id)" })
        #expect(row.value("data-state") == state.rawValue)
        #expect(SessionGroup(state).rawValue == Self.expectedGroup[state])
    }

    @Test("groups come in order: running, waiting, finished; finished newest first")
    func order() throws {
        let sessions = [
            PageFixtures.session(id: 1, state: .completed), PageFixtures.session(id: 2, state: .queued),
            PageFixtures.session(id: 3, state: .running), PageFixtures.session(id: 4, state: .failed),
            PageFixtures.session(id: 5, state: .throttled),
        ]
        let parsed = try PageMarkup(AgentsPages.board(sessions, now: PageFixtures.now).markup)
        let rows = parsed.opening("tr").compactMap { $0.value("id") }
        #expect(rows == ["session-3", "session-5", "session-2", "session-4", "session-1"])
        let bodies = parsed.opening("tbody").map { $0.value("data-states") }
        #expect(
            bodies == [
                "running throttled", "queued blocked interrupted", "completed failed cancelled timed-out denied",
            ])
    }

    @Test("a row shows issue, agent, actual model, state, cost, pull request and age")
    func row() throws {
        let summary = PageFixtures.session(
            id: 9, state: .running, text: "Fix it", pullRequest: .init(number: 4, url: "local:acme/web#4"))
        let markup = AgentsPages.sessionRow(summary, now: PageFixtures.now).markup
        let parsed = try PageMarkup(markup)
        #expect(parsed.opening("a").first?.value("href") == "/sessions/9")
        #expect(markup.contains("acme/web#12"))
        #expect(markup.contains("Fix it"))
        #expect(markup.contains(#"<td class="agent">fixer</td>"#))
        #expect(markup.contains("gpt-4.1"))
        #expect(markup.contains(#"<td class="cost">\#(summary.figure)</td>"#))
        #expect(markup.contains(#"<span class="local">local:acme/web#4</span>"#))
        #expect(parsed.opening("time").first?.value("class") == "age")
        #expect(markup.contains(">2m</time>"))
    }

    @Test("the layout links the sections and the assets")
    func layout() throws {
        let parsed = try PageMarkup(AgentsPages.board([], now: PageFixtures.now).markup)
        let links = parsed.opening("a").compactMap { $0.value("href") }
        #expect(links.contains("/") && links.contains("/new") && links.contains("/usage"))
        #expect(parsed.opening("a").first { $0.value("href") == "/" && $0.value("aria-current") == "page" } != nil)
        #expect(parsed.opening("main").count == 1)
        #expect(parsed.opening("link").first?.value("href") == "/assets/app.css")
    }
}
