import AgentSchedulerServer
import Foundation
import Testing

/// Hostile text from issues, models, tools and users renders as text on every page, and no page
/// carries script the CSP would refuse.
@Suite("Pages escape hostile text and keep to the CSP")
struct PageEscapingTests {
    @Test("hostile text renders escaped", arguments: PageFixtures.hostile, PageFixtures.Page.allCases)
    func hostileTextIsEscaped(text: String, page: PageFixtures.Page) throws {
        let markup = page.render(text)
        #expect(markup.contains(PageFixtures.escaped(text)), "the text is shown, escaped")
        #expect(!markup.contains(text), "the raw text is not in the page")
        #expect(!markup.contains("\u{1B}"), "no terminal escape reaches the page")
        let parsed = try PageMarkup(markup)
        #expect(!parsed.opening("img").contains { $0.value("src") == "x" })
        #expect(parsed.tags.allSatisfy { $0.name != "script" || $0.closing || $0.value("src") == "/assets/app.js" })
    }

    @Test("the only script is /assets/app.js, and no handler or style attribute", arguments: PageFixtures.Page.allCases)
    func keepsToTheCSP(page: PageFixtures.Page) throws {
        for text in PageFixtures.hostile {
            let markup = page.render(text)
            let parsed = try PageMarkup(markup)
            let scripts = parsed.opening("script")
            #expect(scripts.count == 1)
            #expect(markup.components(separatedBy: "<script").count == 2)
            #expect(markup.contains(#"<script src="/assets/app.js" defer></script>"#))
            for tag in parsed.tags {
                for attribute in tag.attributes {
                    #expect(!attribute.name.lowercased().hasPrefix("on"), "\(tag.name) has \(attribute.name)")
                    #expect(attribute.name.lowercased() != "style", "\(tag.name) has a style attribute")
                }
                for name in ["href", "src", "action"] {
                    guard let value = tag.value(name) else { continue }
                    #expect(value.hasPrefix("/") || value.hasPrefix("https://") || value.hasPrefix("http://"))
                    #expect(!value.hasPrefix("//"))
                }
            }
            #expect(!markup.contains("style="))
            #expect(
                parsed.opening("link").allSatisfy {
                    [AgentsPageAssets.stylesheetPath, AgentsPageAssets.iconPath].contains($0.value("href") ?? "")
                })
        }
    }

    @Test(
        "a URL that is no web address is never a link",
        arguments: [
            "javascript:alert(1)", "local:acme/web#3", "//evil.example/x", "data:text/html,<script>", " https://x",
        ]
    )
    func unsafeLinks(url: String) throws {
        let page = AgentsPages.board(
            [PageFixtures.session(pullRequest: .init(number: 3, url: url))], now: PageFixtures.now)
        let parsed = try PageMarkup(page.markup)
        #expect(parsed.opening("a").allSatisfy { $0.value("href") != url })
        #expect(page.markup.contains(PageFixtures.escaped(url)), "the URL is shown as text")
    }

    @Test("a web pull request is a link")
    func webLink() throws {
        let url = "https://github.com/acme/web/pull/3"
        let parsed = try PageMarkup(
            AgentsPages.board([PageFixtures.session(pullRequest: .init(number: 3, url: url))], now: PageFixtures.now)
                .markup)
        #expect(parsed.opening("a").contains { $0.value("href") == url })
    }

    @Test(
        "HTML drops handler, style and invalid attributes",
        arguments: [
            (HTML.element("p", ["onclick": "x", "class": "a"], []), #"<p class="a"></p>"#),
            (HTML.element("p", ["style": "color:red"], []), "<p></p>"),
            (HTML.element("a", ["href": "javascript:alert(1)"], [.text("x")]), "<a>x</a>"),
            (HTML.element("a", ["href": "/sessions/1?a=1&b=2"], []), #"<a href="/sessions/1?a=1&amp;b=2"></a>"#),
            (HTML.element("input", ["value": "a\"b\nc"], []), #"<input value="a&quot;b\nc">"#),
            (HTML.text("a\u{202E}b\rc"), "a&lt;U+202E&gt;b\\rc"),
            (HTML.text("line\r\nnext"), "line\nnext"),
        ])
    func builder(html: HTML, expected: String) {
        #expect(html.markup == expected)
    }
}
