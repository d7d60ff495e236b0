import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import Testing

/// The headless browser driver against a small site served over real HTTP on 127.0.0.1.
///
/// Skipped, with one line saying why, when chromium or chromedriver is missing, unless
/// `AGENTSCHED_REQUIRE_BROWSER=1`; each test starts its own browser and closes it.
@Suite(
    "A headless Chromium driven over WebDriver", .serialized,
    .enabled(if: Browser.enabled, Comment(rawValue: Browser.skipReason)))
struct BrowserTests {
    static let pages: [String: BrowserTestServer.Page] = [
        "/": .html(
            """
            <!doctype html>
            <html><head><title>Fixture</title><link rel="icon" href="data:,">
            <script src="/app.js" defer></script></head>
            <body>
            <form id="form" method="post" action="/submit">
              <input id="name" name="name" value="placeholder">
              <select id="colour" name="colour"><option value="red">Red</option><option value="blue">Blue</option></select>
              <button id="send" type="submit">Send</button>
            </form>
            <p id="fetched">not fetched</p>
            <p id="live">waiting</p>
            </body></html>
            """),
        "/app.js": .script(
            """
            fetch('/greeting').then(r => r.text()).then(t => { document.getElementById('fetched').textContent = t; });
            const events = new EventSource('/events');
            events.onmessage = e => { document.getElementById('live').textContent = e.data; };
            """),
        "/greeting": BrowserTestServer.Page(contentType: "text/plain; charset=utf-8", body: "hello from fetch"),
        "/submit": .html(
            "<!doctype html><title>Received</title><link rel=\"icon\" href=\"data:,\"><p id=\"done\">thanks</p>"),
        "/escaped": .html(
            """
            <!doctype html><title>Escaped</title><link rel="icon" href="data:,">
            <p id="comment">&lt;img src=x onerror=alert(1)&gt;</p>
            """),
        "/raw": .html(
            """
            <!doctype html><title>Raw</title><link rel="icon" href="data:,">
            <p id="comment"><img src=x onerror=alert(1)></p>
            """),
        "/csp": .html(
            """
            <!doctype html><title>Policy</title><link rel="icon" href="data:,">
            <p id="inline">inline did not run</p><p id="self">self did not run</p>
            <script>document.getElementById('inline').textContent = 'inline ran';</script>
            <script src="/csp.js"></script>
            """, headers: ["Content-Security-Policy": "script-src 'self'"]),
        "/csp.js": .script("document.getElementById('self').textContent = 'self ran';"),
    ]

    /// Runs `body` with the fixture site and a browser, closing both afterwards.
    func withSiteAndBrowser(_ body: (BrowserTestServer, Browser) async throws -> Void) async throws {
        try await BrowserTestServer.withServer(pages: Self.pages) { server in
            try await Browser.withBrowser { browser in try await body(server, browser) }
        }
    }

    @Test("A form filled in and submitted reaches the server as its POST body")
    func formSubmission() async throws {
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/"))
            #expect(try await browser.title() == "Fixture")
            let name = try await browser.find("#name")
            #expect(try await name.attribute("value") == "placeholder")
            try await name.clear()
            try await name.type("Ada Lovelace & co")
            #expect(try await name.property("value") == .string("Ada Lovelace & co"))
            try await browser.find("#colour").select(value: "blue")
            #expect(try await browser.find("#colour").property("value") == .string("blue"))
            try await browser.find("#send").click()
            try await browser.waitUntil("the page after the form's POST") { try await browser.title() == "Received" }
            #expect(try await browser.currentURL() == server.url("/submit"))
            #expect(try await browser.find("#done").text() == "thanks")
            #expect(server.posts.map(\.path) == ["/submit"])
            #expect(server.posts.first?.body == "name=Ada+Lovelace+%26+co&colour=blue")
            #expect(server.posts.first?.contentType == "application/x-www-form-urlencoded")
        }
    }

    @Test("A script file updates the page with fetch, then live with Server-Sent Events, without a reload")
    func fetchAndServerSentEvents() async throws {
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/"))
            let fetched = try await browser.find("#fetched")
            try await browser.waitUntil("the fetched greeting") { try await fetched.text() == "hello from fetch" }
            try await browser.waitUntil("the page's EventSource to connect") { server.eventListeners == 1 }
            // A mark on this document: a reload would lose it.
            try await browser.execute("window.notReloaded = arguments[0];", arguments: [.string("mark")])
            let live = try await browser.find("#live")
            #expect(try await live.text() == "waiting")
            server.sendEvent("first update")
            try await browser.waitUntil("the first SSE message on the page") { try await live.text() == "first update" }
            server.sendEvent("second update")
            try await browser.waitUntil("the second SSE message on the page") {
                try await live.text() == "second update"
            }
            #expect(try await browser.execute("return window.notReloaded;") == .string("mark"))
            let errors = try await browser.consoleMessages().filter { $0.level == "SEVERE" }
            #expect(errors.isEmpty, "console errors: \(errors)")
        }
    }

    @Test("A screenshot is a PNG and is saved into the test's output folder")
    func screenshot() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "agentsched-browser-test-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/"))
            let file = folder.appending(path: "fixture.png")
            let png = try await browser.saveScreenshot(to: file)
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            #expect(png.count > 1000)
            #expect(try Data(contentsOf: file) == png)
        }
    }

    @Test("Escaped markup shows as text and runs nothing, while the same markup unescaped runs its alert")
    func injectedMarkup() async throws {
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/escaped"))
            #expect(try await browser.find("#comment").text() == "<img src=x onerror=alert(1)>")
            #expect(try await browser.findAll("#comment img").isEmpty)
            #expect(try await browser.alertText() == nil)

            try await browser.open(server.url("/raw"))
            try await browser.waitUntil("the injected alert") { try await browser.alertText() != nil }
            #expect(try await browser.alertText() == "1")
            try await browser.dismissAlert()
            #expect(try await browser.alertText() == nil)
        }
    }

    @Test("A Content-Security-Policy of script-src 'self' blocks an inline script and logs the violation")
    func contentSecurityPolicy() async throws {
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/csp"))
            #expect(try await browser.find("#self").text() == "self ran")
            #expect(try await browser.find("#inline").text() == "inline did not run")
            var messages: [Browser.ConsoleMessage] = []
            try await browser.waitUntil("a CSP violation in the console") {
                messages += try await browser.consoleMessages()
                return messages.contains { $0.level == "SEVERE" && $0.message.contains("Content Security Policy") }
            }
        }
    }

    @Test("A WebDriver error is thrown with its code, and a wait that never comes true names what it awaited")
    func errors() async throws {
        try await withSiteAndBrowser { server, browser in
            try await browser.open(server.url("/escaped"))
            let error = await #expect(throws: BrowserError.self) { try await browser.find("#missing") }
            #expect(error?.webDriverCode == "no such element")
            let script = await #expect(throws: BrowserError.self) { try await browser.execute("throw new Error('x')") }
            #expect(script?.webDriverCode == "javascript error")
            let timeout = await #expect(throws: BrowserError.self) {
                try await browser.waitUntil("a title that never comes", timeout: .milliseconds(300)) {
                    try await browser.title() == "never"
                }
            }
            #expect(timeout.map { "\($0)" }?.contains("a title that never comes") == true)
        }
    }

    @Test("Closing a browser, or dropping it without closing, leaves no Chromium or chromedriver running")
    func noProcessesLeft() async throws {
        let closed = try await Browser.launch()
        let closedProcesses = [closed.browserProcessID, closed.driverProcessID].compactMap { $0 }
        #expect(closedProcesses.count == 2)
        #expect(closedProcesses.allSatisfy(isRunning))
        await closed.close()
        try await Browser.waitUntil("the closed browser's processes to exit", timeout: .seconds(10)) {
            !closedProcesses.contains(where: isRunning)
        }

        var forgotten: Browser? = try await Browser.launch()
        let forgottenProcesses = [forgotten?.browserProcessID, forgotten?.driverProcessID].compactMap { $0 }
        #expect(forgottenProcesses.count == 2)
        _ = try await forgotten?.title()
        forgotten = nil
        try await Browser.waitUntil("the dropped browser's processes to exit", timeout: .seconds(10)) {
            !forgottenProcesses.contains(where: isRunning)
        }
    }

    /// Whether `process` runs (a zombie, awaiting its reaper, has an empty command line).
    func isRunning(_ process: pid_t) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(process)/cmdline") else { return false }
        defer { try? handle.close() }
        return TestProcess.readSome(handle)?.isEmpty == false
    }
}
