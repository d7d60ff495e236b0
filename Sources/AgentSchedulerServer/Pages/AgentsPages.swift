import AgentScheduler
import Foundation

/// The Agents page's HTML: sessions board, a session's page, new task, usage, login and errors,
/// each a pure function of plain data.
///
/// Every page is a whole document with the navigation (`PageSection`) and one `<main>`, links
/// `/assets/app.css` and loads only `/assets/app.js` (`AgentsPageAssets`), and has no inline
/// script, event handler or `style` attribute, so it runs under the server's strict CSP. It reads
/// fine without JavaScript; the script only adds live updates. All text that came from outside is
/// escaped by `HTML`.
public enum AgentsPages {
    /// The document around `main`: head, navigation, the messages, then `main`'s content.
    ///
    /// `page` names the page for the script (`<body data-page="board">`); `user`, when known, is
    /// shown in the header.
    static func layout(
        title: String, page: String, section: PageSection?, user: String? = nil, messages: [PageMessage] = [],
        main: [HTML]
    ) -> HTML {
        let head = HTML.element(
            "head", [:],
            [
                .element("meta", ["charset": "utf-8"]),
                .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                .element("meta", ["name": "referrer", "content": "same-origin"]),
                .element("title", [:], .line(title + " · agentsched")),
                .element("link", ["rel": "stylesheet", "href": "/assets/app.css"]),
                .element("link", ["rel": "icon", "href": AgentsPageAssets.iconPath, "type": "image/svg+xml"]),
                .script,
            ])
        let links = PageSection.allCases.map { item in
            HTML.element(
                "li", [:],
                .element(
                    "a", ["href": item.path, "aria-current": item == section ? "page" : nil], .text(item.label)))
        }
        var header: [HTML] = [
            .element("a", ["class": "brand", "href": "/"], .text("agentsched")),
            .element("nav", ["aria-label": "Sections"], .element("ul", [:], links)),
        ]
        if let user, !user.isEmpty {
            header.append(.element("span", ["class": "user"], .line(user)))
        }
        let body = HTML.element(
            "body", ["data-page": page],
            [
                .element("header", ["class": "top"], header),
                .element("main", ["id": "main"], messages.map(\.html) + main),
            ])
        return HTML.document(language: "en", [head, body])
    }

    /// `<h1>`.
    static func heading(_ text: String) -> HTML {
        .element("h1", [:], .line(text))
    }

    /// `2026-12-03T14:54:15Z`: how times are written in `datetime` attributes and tables.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `<time datetime="ISO" class="age">3m</time>`: an age the script keeps ticking.
    static func age(since date: Date, now: Date) -> HTML {
        .element(
            "time", ["class": "age", "datetime": iso(date), "title": iso(date)],
            .text(SessionSummary.age(since: date, now: now)))
    }
}
