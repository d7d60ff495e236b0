import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    /// The Agents page in a real browser (headless Chromium over WebDriver) against
    /// `agentsched serve --run` on a workspace whose models are the fake model server.
    ///
    /// Screenshots of every page it visits go to `.build/agents-page-screenshots/`, for a person
    /// to look at.
    @Suite(
        "The Agents page in a headless browser", .enabled(if: Browser.enabled, Comment(rawValue: Browser.skipReason)),
        .timeLimit(.minutes(5)))
    struct AgentsPageBrowserTests {
        static let hostileTitle = "<img src=x onerror=alert(1)>"
        static let screenshots = AgentschedProcess.packageRoot.appendingPathComponent(
            ".build/agents-page-screenshots")

        static func snapshot(_ browser: Browser, _ name: String) async throws {
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            _ = try await browser.saveScreenshot(to: screenshots.appendingPathComponent("\(name).png"))
        }

        @Test(
            "submit a task through the form, watch its log fill in live, steer it, cancel another, see the charge, and an XSS title stays text"
        )
        func wholeLoop() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(100)) { server in
                // Session 1: a short tool call (its result arrives while the page is open), then a
                // long one (steered during it; session 2 waits meanwhile, to be cancelled), then done.
                server.setScript(
                    [
                        RecoveryTests.execute("sleep 6"), RecoveryTests.execute("sleep 30"),
                        .text("Done, and the changelog too."), .text("Nothing to fix."), .text("Nothing to fix."),
                    ],
                    for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                let serve = try fixture.start("serve", "--run", "--port", "0", "--concurrency", "1")
                let line = try await serve.line(startingWith: "serving http://127.0.0.1:")
                let base = String(line.dropFirst("serving ".count))
                try await Browser.withBrowser { browser in
                    do {
                        // 1–2. Open the page and submit a new task through the form.
                        try await browser.open(base + "new")
                        try await browser.find("select[name=repository]").select(value: "acme/webapp")
                        try await browser.find("input[name=issues]").type("1")
                        try await browser.find("input[name=title]").type("Fix the failing test")
                        try await browser.find("select[name=agent]").select(value: "implementer")
                        try await Self.snapshot(browser, "new-task")
                        try await browser.find("button[value=assign]").click()
                        try await browser.waitUntil("the assignment's notice") {
                            try await browser.find("p.notice").text().contains("1 session queued")
                        }
                        try await Self.snapshot(browser, "new-task-assigned")

                        // 3. The session's log fills in live, without a reload.
                        try await browser.open(base + "sessions/1")
                        _ = try await browser.execute("window.agentschedMarker = 'not reloaded'; return null;")
                        let rendered = Int(try await browser.find("#log").attribute("data-last-event-id") ?? "") ?? 0
                        try await browser.waitUntil(
                            "events after the page was drawn, in the live log", timeout: .seconds(60)
                        ) {
                            for item in try await browser.findAll("#log > li") {
                                if let id = Int(try await item.attribute("data-event-id") ?? ""), id > rendered {
                                    return true
                                }
                            }
                            return false
                        }
                        try await browser.waitUntil("the tool call in the live log", timeout: .seconds(60)) {
                            try await !browser.findAll("#log > li[data-kind='tool.call']").isEmpty
                        }
                        #expect(
                            try await browser.execute("return window.agentschedMarker || null;").stringValue
                                == "not reloaded")
                        try await Self.snapshot(browser, "session-live-log")

                        // Two more tasks, from the command line: one to cancel, one with a hostile title.
                        #expect(
                            try await fixture.run(
                                "assign", "--repo", "acme/webapp", "--issues", "2", "--title", "Refactor the parser",
                                "--agent", "implementer"
                            ).status == 0)
                        #expect(
                            try await fixture.run(
                                "assign", "--repo", "acme/webapp", "--issues", "3", "--title", Self.hostileTitle,
                                "--agent", "implementer"
                            ).status == 0)

                        // 5. Cancel another session while it waits: this process runs one at a time, and
                        // session 1 is still in its tool call.
                        try await browser.open(base + "sessions/2")
                        try await browser.find("#cancel button[type=submit]").click()
                        try await browser.waitUntil("the cancel notice") {
                            try await browser.find("p.notice").text().contains("Session cancelled")
                        }
                        #expect(try await fixture.ledger().session(2)?.state == .cancelled)
                        try await Self.snapshot(browser, "session-cancelled")

                        // 4. Steer the running session.
                        try await browser.open(base + "sessions/1")
                        try await browser.find("#steer textarea[name=message]").type("Also update the changelog.")
                        try await browser.find("#steer button[type=submit]").click()
                        try await browser.waitUntil("the steering notice") {
                            try await browser.find("p.notice").text().contains("Message queued")
                        }
                        try await browser.waitUntil("the steering message at the model", timeout: .seconds(60)) {
                            server.requests(for: "paid").contains {
                                String(decoding: $0.body, as: UTF8.self).contains("Also update the changelog.")
                            }
                        }

                        // 6. The usage page shows the charges: session 1 and its steering message, and
                        // session 3 (which ran once session 1 was done).
                        try await fixture.waitFor("sessions 1 and 3 to complete", seconds: 60) { ledger in
                            let first = try await ledger.session(1)?.state
                            let third = try await ledger.session(3)?.state
                            return first == .completed && third == .completed
                        }
                        try await browser.open(base + "usage")
                        let bars = try await browser.findAll("section.org[data-org=acme] rect.bar")
                        var spent = 0.0
                        for bar in bars { spent += Double(try await bar.attribute("data-amount") ?? "") ?? 0 }
                        #expect(spent == 3, "1 for session 1, 1 for its steering message, 1 for session 3")
                        try await Self.snapshot(browser, "usage")

                        let log1 = try await fixture.run("sessions", "logs", "1")
                        try log1.stdout.write(
                            to: Self.screenshots.appendingPathComponent("session-1.log"), atomically: true,
                            encoding: .utf8)
                        // 7. The hostile title renders as text on the board, and nothing ran.
                        try await browser.open(base)
                        let title = try await browser.find("#session-3 .title")
                        #expect(try await title.text() == Self.hostileTitle)
                        #expect(try await title.findAll("img").isEmpty)
                        #expect(try await browser.alertText() == nil)
                        try await Self.snapshot(browser, "board")
                        let problems = try await browser.consoleMessages().filter { $0.level == "SEVERE" }
                        #expect(problems.isEmpty, "\(problems)")
                    } catch {
                        // What the browser showed when it went wrong, for a person to look at.
                        try? await Self.snapshot(browser, "failure")
                        let source = (try? await browser.pageSource()) ?? ""
                        try? source.write(
                            to: Self.screenshots.appendingPathComponent("failure.html"), atomically: true,
                            encoding: .utf8)
                        let logs = try? await fixture.run("sessions", "logs", "1")
                        try? ((logs?.stdout ?? "") + serve.outputSoFar).write(
                            to: Self.screenshots.appendingPathComponent("failure.txt"), atomically: true,
                            encoding: .utf8)
                        throw error
                    }
                }
                serve.signal(SIGTERM)
                let result = try await serve.wait()
                #expect(result.status == 0, "\(result.stderr)")
            }
        }
    }
}
