import AgentSchedulerCore
import Foundation

/// The page: navigation, finding elements, scripts, screenshots, alerts and waiting.
extension Browser {
    /// Navigates to `url` and waits until the page has loaded (WebDriver's `normal` strategy: the
    /// `load` event), at most a minute.
    public func open(_ url: String) async throws {
        _ = try await command(.POST, "/url", .object([("url", .string(url))]))
    }

    /// The URL of the page shown now.
    public func currentURL() async throws -> String {
        try await string(command(.GET, "/url"), from: "GET /url")
    }

    /// The page's `<title>`.
    public func title() async throws -> String {
        try await string(command(.GET, "/title"), from: "GET /title")
    }

    /// The page's HTML as the browser serialises its current DOM.
    public func pageSource() async throws -> String {
        try await string(command(.GET, "/source"), from: "GET /source")
    }

    /// The first element matching the CSS selector `css`; throws `no such element` when none does.
    public func find(_ css: String) async throws -> Element {
        try await Element(command(.POST, "/element", Self.locator(css)), browser: self)
    }

    /// Every element matching the CSS selector `css`, in document order (none is not an error).
    public func findAll(_ css: String) async throws -> [Element] {
        try await Element.all(command(.POST, "/elements", Self.locator(css)), browser: self)
    }

    /// Runs `script` as the body of a function in the page (`return` gives its value) with
    /// `arguments` as `arguments[0]`, …; an ``Element``'s ``Element/json`` passes the DOM element.
    /// A script that throws is a `javascript error`.
    @discardableResult
    public func execute(_ script: String, arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", .object([("script", .string(script)), ("args", .array(arguments))]))
    }

    /// A PNG of the viewport.
    public func screenshot() async throws -> Data {
        let encoded = try await string(command(.GET, "/screenshot"), from: "GET /screenshot")
        guard let data = Data(base64Encoded: encoded) else {
            throw BrowserError.badResponse(command: "GET /screenshot", status: 200, detail: "not base64")
        }
        return data
    }

    /// Takes ``screenshot()`` and writes it to `file` (its folder must exist); returns the PNG.
    @discardableResult
    public func saveScreenshot(to file: URL) async throws -> Data {
        let data = try await screenshot()
        try data.write(to: file)
        return data
    }

    /// The text of the open `alert`, `confirm` or `prompt`, or `nil` when none is open.
    ///
    /// Prompts stay open until dismissed (the session ignores them), and while one is open every
    /// other command fails with `unexpected alert open`: call ``dismissAlert()`` after checking.
    /// This is how a test proves a script did or did not run, e.g. an injected `alert(1)`.
    public func alertText() async throws -> String? {
        do {
            return try await string(command(.GET, "/alert/text"), from: "GET /alert/text")
        } catch BrowserError.webDriver("no such alert", _, _) {
            return nil
        }
    }

    /// Dismisses the open prompt (Cancel); throws `no such alert` when none is open.
    public func dismissAlert() async throws {
        _ = try await command(.POST, "/alert/dismiss")
    }

    /// Accepts the open prompt (OK); throws `no such alert` when none is open.
    public func acceptAlert() async throws {
        _ = try await command(.POST, "/alert/accept")
    }

    /// Calls `condition` every `interval` until it returns true, or throws
    /// ``BrowserError/timedOut(waiting:timeout:lastError:)`` naming `what` after `timeout`.
    ///
    /// A condition that throws (an element not there yet) counts as not yet; the last error is
    /// in the timeout's message. The timeout guards against a hang, it is not a speed check.
    public func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), pollEvery interval: Duration = .milliseconds(100),
        _ condition: () async throws -> Bool
    ) async throws {
        try await Self.waitUntil(what, timeout: timeout, pollEvery: interval, condition)
    }

    func string(_ value: JSONValue, from command: String) throws -> String {
        guard let text = value.stringValue else {
            throw BrowserError.badResponse(command: command, status: 200, detail: "not a string: \(value.jsonText)")
        }
        return text
    }

    static func locator(_ css: String) -> JSONValue {
        .object([("using", .string("css selector")), ("value", .string(css))])
    }
}
